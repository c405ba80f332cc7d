import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, freePort, start as startProcess, waitFor } from './start-kit';

// `npm start` is `node app/bin/start.mjs` (builds dist/ when missing or stale, then
// runs the compiled JavaScript); run it as a user would (start-kit.ts).
let child: ChildProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }
  child = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

function start(env: Record<string, string>) {
  const s = startProcess(env);
  child = s.child;
  return s;
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
    // Production runs the compiled build with no TypeScript loader in the process.
    expect(existsSync(path.join(ROOT, 'dist/app/src/main.js'))).toBe(true);
    if (existsSync(`/proc/${child!.pid}/cmdline`)) {
      const argv = readFileSync(`/proc/${child!.pid}/cmdline`, 'utf8').split('\0');
      expect(argv.slice(1, 2)).toEqual(['app/bin/start.mjs']);
      expect(argv.join(' ')).not.toMatch(/tsx|--import|--loader/);
    }
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
