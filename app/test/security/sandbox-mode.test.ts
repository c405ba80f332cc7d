/**
 * Finding 6: a deployment that forgot HUBSPOT_CLIENT_ID silently started the
 * sandbox on all interfaces with a signing secret that was a constant. Now sandbox
 * mode refuses a production setting (NODE_ENV=production or an https
 * PUBLIC_BASE_URL) naming the missing variables, listens on 127.0.0.1 only, and its
 * signing secret is created per data folder.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/composition/create-backend';
import { createManualClock } from '../../src/platform/clock';
import { ConfigError, loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/log';
import { refuseAccidentalSandbox } from '../../src/platform/sandbox-guard';
import { readOrCreateSecretFile } from '../../src/platform/secret-file';
import { createDatabase } from '../../src/storage/database';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'tossup-security-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('sandbox mode', () => {
  it('refuses to start in a production setting, naming the missing variables (ja + en); npm start exits 1', async () => {
    const https = loadConfig({ PUBLIC_BASE_URL: 'https://tossup.example.com', LOG_LEVEL: 'silent' });
    expect(() => refuseAccidentalSandbox(https, {})).toThrow(ConfigError);
    const local = loadConfig({ LOG_LEVEL: 'silent' });
    expect(() => refuseAccidentalSandbox(local, {})).not.toThrow();
    try {
      refuseAccidentalSandbox(local, { NODE_ENV: 'production' });
      expect.unreachable();
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toContain('HUBSPOT_CLIENT_ID');
      expect(problems).toContain('HUBSPOT_CLIENT_SECRET');
      expect(problems).toContain('NODE_ENV=production');
      expect(problems).toMatch(/サンドボックス/);
    }

    const root = path.resolve(import.meta.dirname, '../../..');
    const dataDir = tempDir();
    const { HUBSPOT_CLIENT_ID: _a, HUBSPOT_CLIENT_SECRET: _b, ...env } = process.env;
    const run = promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['app/src/main.ts'], {
      cwd: root,
      // TMPDIR: tsx's cache goes into the folder this suite removes.
      env: { ...env, NODE_ENV: 'production', PORT: '0', SANDBOX_PORT: '0', TOSSUP_DATA_DIR: dataDir, TMPDIR: dataDir },
      timeout: 60_000,
    });
    const failure = (await run.then(() => undefined, (e: unknown) => e)) as { code?: number; stderr?: string } | undefined;
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('HUBSPOT_CLIENT_ID');
  }, 90_000);

  it('listens on 127.0.0.1 only', async () => {
    const db = await createDatabase({ kind: 'pglite' });
    const config = loadConfig({ LOG_LEVEL: 'silent', TOSSUP_DATA_DIR: tempDir() });
    const backend = await createBackend(config, { clock: createManualClock(0), db, wire: false, logger: createLogger({ level: 'silent' }) });
    try {
      const { server } = await backend.listen(0);
      expect(server.address()).toMatchObject({ address: '127.0.0.1' });
    } finally {
      await backend.close();
      await db.close();
    }
  });

  it('has a signing secret of its own per data folder (mode 600), kept across restarts', () => {
    const a = tempDir();
    const b = tempDir();
    const make = () => `s-${Math.random()}`;
    const first = readOrCreateSecretFile(path.join(a, 'sandbox-signing.secret'), make);
    expect(readOrCreateSecretFile(path.join(a, 'sandbox-signing.secret'), make)).toBe(first);
    expect(readOrCreateSecretFile(path.join(b, 'sandbox-signing.secret'), make)).not.toBe(first);
    expect(statSync(path.join(a, 'sandbox-signing.secret')).mode & 0o777).toBe(0o600);
  });
});
