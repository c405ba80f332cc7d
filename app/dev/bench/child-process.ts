import { execFile, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Starts a bench child on the same Node binary and waits for its `{ type: 'ready', port }`
 * message. The backend runs compiled (`compiledBackendScript`, plain `node`, no loader: the
 * production process's code and memory); the naive baseline, not our product, runs its
 * TypeScript through tsx. Output is kept (the last lines) so a failed start or a crash
 * can be explained.
 */
export interface BenchChild {
  name: string;
  proc: ChildProcess;
  port: number;
  pid: number;
  /** Last lines of stdout/stderr. */
  output(): string;
  /** Peak RSS seen by sampling, and the kernel's high-water mark (VmHWM), in bytes. */
  rss(): { sampledPeak: number; hwm: number };
  /** SIGKILL, no cleanup (chaos). */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit, however long it takes (chaos: the graceful shutdown); exit code and time. */
  terminate(): Promise<{ code: number | null; ms: number }>;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

const TAIL = 200;

export function benchScript(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

// app/bin/paths.mjs names these (BUILD_SCRIPT, BENCH_ENTRY).
const BUILD_SCRIPT = fileURLToPath(new URL('../../bin/build.mjs', import.meta.url));
const BENCH_ENTRY = fileURLToPath(new URL('../../../dist/app/src/bench-backend.js', import.meta.url));
let built: Promise<string> | undefined;

/**
 * dist/app/src/bench-backend.js: backend-process.ts compiled by the product's own build
 * (`app/bin/build.mjs --bench`, the chunks main.js runs), rebuilt once per bench or test
 * process so it is never older than the sources.
 */
export function compiledBackendScript(): Promise<string> {
  built ??= new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [BUILD_SCRIPT, '--incremental', '--bench'], (err, _stdout, stderr) => {
      if (err) reject(new Error(`bench: building the backend failed: ${stderr || err.message}`));
      else resolve(BENCH_ENTRY);
    });
  });
  return built;
}

function readStatus(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * How production runs the backend (README, "Deployment / Build and start"): a smaller young
 * generation and two malloc arenas. The worker's heap profile at its RSS peak of a 100k burst
 * showed 38 MiB of live JS in a 103 MiB reserved heap (new space 32 MiB for 1.5 MiB used) and
 * 161–214 MiB outside the JS heap, mostly allocator arenas (BENCH_HEAP_PROF, heap-at-peak.ts).
 */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=128'];
export const PRODUCTION_ENV = { MALLOC_ARENA_MAX: '2' };

export async function startChild(name: string, script: string, env: Record<string, string>, options: { readyTimeoutMs?: number } = {}): Promise<BenchChild> {
  const compiled = script.endsWith('.js');
  const proc = fork(script, [], {
    execArgv: [
      ...(compiled ? PRODUCTION_NODE_FLAGS : ['--import', 'tsx']),
      // BENCH_CPU_PROF=web-0 profiles that child (a .cpuprofile in BENCH_CPU_PROF_DIR, written when it exits on SIGTERM).
      ...(process.env.BENCH_CPU_PROF === name ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR ?? '.'}`] : []),
      // BENCH_HEAP_PROF=worker-0 (heap-at-peak.ts): source maps so its summary names our source files.
      ...(process.env.BENCH_HEAP_PROF === name ? ['--enable-source-maps'] : []),
    ],
    env: { ...process.env, ...(compiled ? PRODUCTION_ENV : {}), ...env, BENCH_CHILD_NAME: name },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    // BENCH_CHILD_OUTPUT=1 streams the children's logs (debugging a run).
    if (process.env.BENCH_CHILD_OUTPUT === '1') process.stderr.write(`[${name}] ${chunk.toString('utf8')}`);
    for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(l);
    if (lines.length > TAIL) lines.splice(0, lines.length - TAIL);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  let sampledPeak = 0;
  let lastHwm = 0;
  // 100 ms, as the benchmark design asks (README.md); the kernel's VmHWM catches any peak between samples.
  const sampler = setInterval(() => {
    const s = proc.pid ? readStatus(proc.pid) : undefined;
    if (s) {
      sampledPeak = Math.max(sampledPeak, s.rss);
      lastHwm = Math.max(lastHwm, s.hwm);
    }
  }, 100);
  sampler.unref();
  void exited.then(() => clearInterval(sampler));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${options.readyTimeoutMs ?? 60_000} ms:\n${lines.join('\n')}`)), options.readyTimeoutMs ?? 60_000);
    proc.on('message', (m: { type?: string; port?: number }) => {
      if (m.type === 'ready' && typeof m.port === 'number') {
        clearTimeout(timer);
        resolve(m.port);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${String(code)} before it was ready:\n${lines.join('\n')}`));
    });
  });

  return {
    name,
    proc,
    port,
    pid: proc.pid!,
    output: () => lines.join('\n'),
    rss: () => {
      const s = readStatus(proc.pid!);
      if (s) lastHwm = Math.max(lastHwm, s.hwm);
      return { sampledPeak, hwm: lastHwm };
    },
    exited,
    kill9: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await exited;
      }
    },
    terminate: async () => {
      const started = Date.now();
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return { code: await exited, ms: Date.now() - started };
    },
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
