/**
 * `npm test` must leave nothing behind (issue 18): no process listening, no
 * temporary folder. This global setup marks the run — an environment variable every
 * process the tests start inherits, and a private TMPDIR (tossup-vitest-*) that
 * os.tmpdir() returns in every worker — and at teardown lists what outlived it:
 * processes carrying the mark that still listen on a TCP port, and anything left in
 * the private folder. It prints them, ends those processes (they are this run's own)
 * and fails the run. Other helpers' processes in the same checkout carry no mark
 * and are left alone.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const MARK = 'TOSSUP_TEST_RUN';

/** Inodes of listening TCP sockets (state 0A in /proc/net/tcp{,6}) with their ports. */
function listeningInodes(): Map<string, number> {
  const out = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && f[1] && f[9]) out.set(f[9], parseInt(f[1].split(':')[1] ?? '0', 16));
    }
  }
  return out;
}

export interface Leftover {
  pid: number;
  ports: number[];
  command: string;
}

/** Processes whose environment carries `mark` and that listen on a TCP port (Linux /proc; empty elsewhere). */
export function markedListeners(mark: string, exclude: number[] = [process.pid]): Leftover[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const inodes = listeningInodes();
  const found: Leftover[] = [];
  for (const pid of pids) {
    if (exclude.includes(Number(pid))) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`${MARK}=${mark}`)) continue;
      const ports = new Set<number>();
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        const port = m ? inodes.get(m[1] as string) : undefined;
        if (port !== undefined) ports.add(port);
      }
      if (ports.size > 0) found.push({ pid: Number(pid), ports: [...ports].sort((a, b) => a - b), command: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 200) });
    } catch {
      // The process ended while being read, or is not ours to read.
    }
  }
  return found;
}

let privateTmp: string | undefined;
let mark: string | undefined;

export function setup(): void {
  mark = randomBytes(6).toString('hex');
  process.env[MARK] = mark;
  privateTmp = mkdtempSync(path.join(tmpdir(), 'tossup-vitest-'));
  process.env.TMPDIR = privateTmp;
  // tsx keeps a compile cache in $TMPDIR/tsx-<uid> that outlives the run; the children tests spawn need none.
  process.env.TSX_DISABLE_CACHE = '1';
}

export async function teardown(): Promise<void> {
  const problems: string[] = [];
  if (mark) {
    // Give children a moment to finish their own shutdown before calling them leftovers.
    let left = markedListeners(mark);
    for (let i = 0; i < 20 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      left = markedListeners(mark);
    }
    for (const l of left) {
      problems.push(`process ${l.pid} still listens on port ${l.ports.join(', ')}: ${l.command}`);
      try {
        process.kill(l.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  if (privateTmp) {
    let entries: string[] = [];
    try {
      entries = readdirSync(privateTmp);
    } catch {
      entries = [];
    }
    // Node's own compile cache (module.enableCompileCache) is shared, not a test's folder.
    for (const e of entries.filter((x) => x !== 'node-compile-cache')) problems.push(`temporary folder left behind: ${path.join(privateTmp, e)}`);
    rmSync(privateTmp, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    const text = `npm test left things behind (test/setup/hygiene-global-setup.ts); they were removed, fix the test that made them:\n  ${problems.join('\n  ')}`;
    process.stderr.write(`\n${text}\n`);
    throw new Error(text);
  }
}
