import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

/**
 * Running `npm start` as a user would, in a child process: the launcher
 * (app/bin/start.mjs) directly, or through npm itself; talking to it over HTTP.
 */
export const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Without HubSpot credentials or a database from the caller's environment unless `env` sets them. */
export function start(env: Record<string, string>, via: 'launcher' | 'npm' = 'launcher'): Started {
  let out = '';
  const { HUBSPOT_CLIENT_ID: _a, HUBSPOT_CLIENT_SECRET: _b, TOKEN_ENCRYPTION_KEY: _c, DATABASE_URL: _d, ...base } = process.env;
  const [cmd, args] = via === 'npm' ? ['npm', ['start', '--silent']] : [process.execPath, ['app/bin/start.mjs']];
  const child = spawn(cmd as string, args as string[], { cwd: ROOT, env: { ...base, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, output: () => out, exited };
}

export async function waitFor(check: () => Promise<boolean> | boolean, what: string, output: () => string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; output so far:\n${output()}`);
}

/** Whether something accepts connections on the port. */
export async function listening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}
