import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, listening, start, waitFor, type Started } from './start-kit';
import { markedListeners } from '../setup/hygiene-global-setup';

/**
 * Process hygiene of `npm start` (issue 18): a signal to the launcher or to npm stops
 * both servers; a busy port and a missing database each get one line saying what to
 * change; and the hygiene check of `npm test` does see a process left listening.
 */
let started: Started | undefined;
let dataDir: string | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  const c = started?.child;
  if (c && c.exitCode === null && c.signalCode === null) {
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }
  started = undefined;
  if (blocker) await new Promise((r) => blocker!.close(r));
  blocker = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function sandboxMode(via: 'launcher' | 'npm') {
  const [port, sandboxPort] = [await freePort(), await freePort()];
  dataDir = mkdtempSync(path.join(tmpdir(), 'tossup-start-'));
  started = start({ PORT: String(port), SANDBOX_PORT: String(sandboxPort), TOSSUP_DATA_DIR: dataDir }, via);
  await waitFor(() => started!.output().includes('install:   completed'), 'the install line', started.output, 90_000);
  expect(await listening(port)).toBe(true);
  expect(await listening(sandboxPort)).toBe(true);
  return { port, sandboxPort };
}

describe('npm start: signals, busy ports, database errors', () => {
  for (const [via, signal] of [['launcher', 'SIGTERM'], ['npm', 'SIGINT'], ['npm', 'SIGTERM']] as const) {
    it(`${signal} to the ${via === 'npm' ? 'npm process' : 'launcher'} stops the backend and the sandbox`, async () => {
      const { port, sandboxPort } = await sandboxMode(via);
      started!.child.kill(signal);
      await waitFor(async () => !(await listening(port)) && !(await listening(sandboxPort)), 'both servers to stop', started!.output, 20_000);
      const code = await Promise.race([started!.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
      expect(code).not.toBe('still running');
    }, 150_000);
  }

  it('a busy PORT gets one line naming the port and the variable', async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(port, r));
    dataDir = mkdtempSync(path.join(tmpdir(), 'tossup-start-'));
    started = start({ PORT: String(port), SANDBOX_PORT: String(await freePort()), TOSSUP_DATA_DIR: dataDir });
    expect(await started.exited).toBe(1);
    const lines = started.output().trim().split('\n').filter((l) => l.startsWith('tossup:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`port ${port} is already in use; .*set PORT to a free port`));
    expect(started.output()).not.toContain('EADDRINUSE');
  }, 90_000);

  it('a missing database is answered with the createdb command', async () => {
    started = start({
      PORT: String(await freePort()),
      HUBSPOT_CLIENT_ID: 'id',
      HUBSPOT_CLIENT_SECRET: 'secret',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tossup_issue18_missing',
    });
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain('createdb -h 127.0.0.1 -p 5432 -U postgres tossup_issue18_missing');
    expect(started.output()).not.toMatch(/\n\s+at /);
  }, 90_000);

  it('the hygiene check of npm test sees a process of this run left listening', async () => {
    const mark = process.env.TOSSUP_TEST_RUN;
    if (!mark) return; // not under the configured global setup
    const { port } = await sandboxMode('launcher');
    const found = markedListeners(mark).find((l) => l.pid === started!.child.pid);
    expect(found?.ports).toContain(port);
  }, 150_000);
});
