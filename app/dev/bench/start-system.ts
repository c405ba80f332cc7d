import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Clock } from '../../src/platform/clock';
import { createTestDatabase } from '../throwaway-database';
import { ensureContractProperties } from '../../src/hubspot/ensure-properties';
import { createSandbox, type Sandbox } from '../sandbox';
import { benchScript, compiledBackendScript, startChild, type BenchChild } from './child-process';
import { BENCH_METRICS_TOKEN, settle } from './inbox-monitor';
import { directoryOf } from './oracle';
import type { ScenarioSpec } from './scenario-spec';
import { createSharedClock, newClockSpec, type ClockSpec } from './shared-clock';
import type { Teardown } from './teardown';

/**
 * Set-up of one run: a fresh sandbox with its portals, and the system under test —
 * the app (a fresh PostgreSQL database, `instances` backend processes, the OAuth
 * install of every portal, the first reconciliation sweep processed) or the naive
 * baseline (one process holding tokens handed out by the sandbox).
 */
export interface SystemUnderTest {
  sandbox: Sandbox;
  clock: Clock;
  /** The shared clock's anchor, for processes that must agree on HubSpot time (backends, the sender). */
  clockSpec: ClockSpec;
  portalIds: number[];
  /** PUBLIC_BASE_URL: the first process's origin, which the webhooks are signed over. */
  publicBase: string;
  /** One port per instance, where webhooks go (its web process when split); a restarted backend keeps its port. */
  ports: number[];
  /** The live processes (the teardown's list). */
  children: BenchChild[];
  /** One connection to the app's database (app runs only). */
  monitor: pg.Pool | undefined;
  dbName: string;
  /** The app's database (app runs only). */
  databaseUrl: string;
  /** Starts backend `i` again, same port and instance id (after a kill -9). */
  restartBackend(i: number): Promise<BenchChild>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** The bench is the webhook source, so the sandbox's own delivery is switched off with an empty subscription list. */
function writeNoSubscriptions(dir: string): string {
  const file = path.join(dir, 'webhooks-hsmeta.json');
  writeFileSync(file, JSON.stringify({ uid: 'bench_webhooks', type: 'webhooks', config: { settings: { maxConcurrentRequests: 10 }, subscriptions: { crmObjects: [], legacyCrmObjects: [], hubEvents: [] } } }));
  return file;
}

/** Runs the OAuth install through the app's /oauth/install, with HubSpot's authorize page played by the sandbox. */
async function installThroughApp(sandbox: Sandbox, appUrl: string, portalId: number): Promise<void> {
  // From the app's own /oauth/install, so the state cookie it sets comes back to its callback.
  const result = await sandbox.installApp(`${appUrl}/oauth/install`, { portalId, authorizeOrigin: sandbox.url });
  if (result.status !== 200) throw new Error(`bench: install into portal ${portalId} failed (${result.status}): ${result.text.slice(0, 300)} via ${result.trail.join(' → ')}`);
}

export async function startSystem(spec: ScenarioSpec, instances: number, teardown: Teardown, log: (line: string) => void): Promise<SystemUnderTest> {
  const clockSpec = newClockSpec(spec.timeScale);
  const clock = createSharedClock(clockSpec);
  const tmp = mkdtempSync(path.join(tmpdir(), 'tossup-bench-'));
  teardown.add(async () => rmSync(tmp, { recursive: true, force: true }));
  const children = teardown.children;

  const port0 = await freePort();
  const publicBase = `http://127.0.0.1:${port0}`;
  const sandbox = await createSandbox({
    clock,
    timeScale: spec.timeScale,
    rateLimit: true,
    seedNumber: spec.seed,
    webhooksHsmetaFile: writeNoSubscriptions(tmp),
    appPublicBaseUrl: publicBase,
  });
  teardown.add(() => sandbox.close());
  const portalIds = [sandbox.portalId];
  while (portalIds.length < spec.portals) portalIds.push(sandbox.createPortal({ seed: true }).portalId);

  let databaseUrl = '';
  let dbName = '';
  let monitor: pg.Pool | undefined;
  const tokenKey = randomBytes(32).toString('base64');
  const ports: number[] = [];
  const backendEnv = (port: number, instanceId: string, role: string): Record<string, string> => ({
    PORT: String(port),
    PUBLIC_BASE_URL: publicBase,
    HUBSPOT_CLIENT_ID: sandbox.clientId,
    HUBSPOT_CLIENT_SECRET: sandbox.clientSecret,
    HUBSPOT_APP_ID: String(sandbox.appId),
    HUBSPOT_API_BASE_URL: sandbox.url,
    DATABASE_URL: databaseUrl,
    TOKEN_ENCRYPTION_KEY: tokenKey,
    METRICS_TOKEN: BENCH_METRICS_TOKEN,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    TOSSUP_DATA_DIR: tmp,
    BENCH_CLOCK: JSON.stringify(clockSpec),
    BENCH_INSTANCE_ID: instanceId,
    BENCH_POLL_MS: '200',
    TOSSUP_ROLE: role,
  });
  const backendScript = spec.impl === 'tossup' ? await compiledBackendScript() : '';
  const startBackend = (i: number) => startChild(`backend-${i}`, backendScript, backendEnv(ports[i]!, `bench-instance-${i}`, 'all'));
  // Split (spec.split): instance i is a web process on ports[i] and a worker process on a port of its own (probes, /metrics).
  const startSplit = async (i: number) => [
    await startChild(`web-${i}`, backendScript, backendEnv(ports[i]!, `bench-web-${i}`, 'web')),
    await startChild(`worker-${i}`, backendScript, backendEnv(await freePort(), `bench-worker-${i}`, 'worker')),
  ];

  if (spec.impl === 'tossup') {
    const dbt = await createTestDatabase('postgres');
    databaseUrl = dbt.url!;
    dbName = new URL(databaseUrl).pathname.slice(1);
    // The parent needs no pool of its own beyond the monitor (one connection): the helper's is closed.
    await dbt.db.close();
    teardown.add(() => dbt.drop());
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    monitor = pool;
    pool.on('error', () => undefined);
    teardown.add(() => pool.end());
    for (let i = 0; i < instances; i++) {
      ports.push(i === 0 ? port0 : await freePort());
      if (spec.split) children.push(...(await startSplit(i)));
      else children.push(await startBackend(i));
    }
    // Card requests (hubspot.fetch) go to the first instance.
    sandbox.configureApp({ baseUrl: publicBase });
    for (const portalId of portalIds) await installThroughApp(sandbox, publicBase, portalId);
  } else {
    const naivePortals: Record<string, unknown> = {};
    for (const portalId of portalIds) {
      const grant = sandbox.issueTokens(portalId);
      await ensureContractProperties({ accessToken: grant.access_token, apiBaseUrl: sandbox.url });
      naivePortals[String(portalId)] = { token: grant.access_token, directory: directoryOf(sandbox.portal(portalId)) };
    }
    ports.push(port0);
    children.push(
      await startChild('naive', benchScript('naive-receiver.ts'), {
        NAIVE_PORT: String(port0),
        NAIVE_SECRET: sandbox.clientSecret,
        NAIVE_PUBLIC_URL: `${publicBase}/webhooks/hubspot`,
        NAIVE_API_BASE: sandbox.url,
        NAIVE_PORTALS: JSON.stringify(naivePortals),
        BENCH_CLOCK: JSON.stringify(clockSpec),
      }),
    );
  }
  if (monitor) await settle(monitor, portalIds.length, log);
  return { sandbox, clock, clockSpec, portalIds, publicBase, ports, children, monitor, dbName, databaseUrl, restartBackend: startBackend };
}
