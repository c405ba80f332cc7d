import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// `npm start` is `tsx app/src/main.ts`; run that entry as a user would, in a
// child process, and talk to it over HTTP.
const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

let child: ChildProcess | undefined;
let dataDir: string | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

function start(env: Record<string, string>): { output: () => string; exited: Promise<number | null> } {
  let out = '';
  const { HUBSPOT_CLIENT_ID: _a, HUBSPOT_CLIENT_SECRET: _b, TOKEN_ENCRYPTION_KEY: _c, DATABASE_URL: _d, ...base } = process.env;
  child = spawn(TSX, ['app/src/main.ts'], { cwd: ROOT, env: { ...base, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
  return { output: () => out, exited };
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, output: () => string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; output so far:\n${output()}`);
}

describe('npm start', () => {
  it('with credentials in the environment: serves /healthz in production mode', async () => {
    const port = await freePort();
    dataDir = mkdtempSync(path.join(tmpdir(), 'tossup-start-'));
    const p = start({
      PORT: String(port),
      HUBSPOT_CLIENT_ID: 'id',
      HUBSPOT_CLIENT_SECRET: 'secret',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      HUBSPOT_API_BASE_URL: 'http://127.0.0.1:9',
      TOSSUP_DATA_DIR: dataDir,
    });
    let body: unknown;
    await waitFor(
      async () => {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/healthz`);
          body = await r.json();
          return r.ok;
        } catch {
          return false;
        }
      },
      '/healthz',
      p.output,
    );
    expect(body).toEqual({ status: 'ok', mode: 'production' });
  }, 90_000);

  it('stops with a message naming the variable when the configuration is broken', async () => {
    const p = start({ HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'secret' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('TOKEN_ENCRYPTION_KEY: required when HubSpot credentials are set');
  }, 60_000);

  it('without credentials: boots the sandbox and the backend, installs through OAuth and says what to open', async () => {
    const [port, sandboxPort] = [await freePort(), await freePort()];
    dataDir = mkdtempSync(path.join(tmpdir(), 'tossup-start-'));
    const p = start({ PORT: String(port), SANDBOX_PORT: String(sandboxPort), TOSSUP_DATA_DIR: dataDir });
    await waitFor(() => p.output().includes('install:   completed'), 'the install line', p.output);
    expect(p.output()).toContain(`backend:   http://localhost:${port}`);
    expect(p.output()).toContain(`preview:   http://localhost:${port}/preview/`);
    const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
    expect(health).toEqual({ status: 'ok', mode: 'sandbox' });
    const info = (await (await fetch(`http://127.0.0.1:${sandboxPort}/__sandbox/info`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ defaultPortalId: expect.any(Number) });
    // The install really happened: the backend holds an active install for that portal.
    expect(p.output()).toContain(`completed for portal ${String(info.defaultPortalId)}`);
  }, 120_000);
});
