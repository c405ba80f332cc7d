import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, TEST_SERVER_URL, type TestDatabase } from '../throwaway-database';
import { ensureContractProperties } from '../../src/hubspot/ensure-properties';
import { createSandbox, type FaultOptions, type Sandbox } from '../sandbox';
import { createPrng } from '../sandbox/prng';
import { signV3 } from '../../src/platform/hubspot-signature';
import { benchScript, startChild, type BenchChild } from './child-process';
import { sendBurst, type LoadResult } from './load-generator';
import { buildOracle, checkPortal, directoryOf, type PortalCheck, type PortalOracle } from './oracle';
import { createSharedClock, newClockSpec } from './shared-clock';
import { MiB, percentile, round } from './stats-util';
import { buildPortalWorkload, type PortalWorkload } from './workload';

/**
 * One benchmark run, end to end (engineering-anchors §C4): a fresh sandbox with its
 * portals and contacts, a fresh PostgreSQL database, the app (or the naive baseline)
 * in child processes, the signed burst, the drain, then the measurements and the
 * oracle check. Used by `npm run bench` and, with small sizes, by the scale-out and
 * chaos tests, so what the tests prove is what the bench measures.
 */
export interface ScenarioSpec {
  name: string;
  impl: 'tossup' | 'naive';
  portals: number;
  contactsPerPortal: number;
  eventsPerPortal: number;
  seed: number;
  /** Seeds where the chaos strikes (kill points); the data stays that of `seed`. */
  chaosSeed?: number;
  /** Sandbox/app clock speed-up (10: the 10 s rate window lasts 1 s). */
  timeScale: number;
  redeliveryRate?: number;
  zipfS?: number;
  /** Injected into the sandbox once the app is installed. */
  faults?: FaultOptions;
  /** Backend processes sharing the database (scale-out). */
  instances?: number;
  chaos?: {
    /** SIGKILL + restart this many times, at seeded random points of the run. */
    kills?: number;
    /**
     * Progress range the kill points are drawn from (default [0.05, 0.9]). Short test
     * bursts drain within a restart's time, so they draw early points to kill mid-burst.
     */
    killWindow?: [number, number];
    /** Make the database refuse connections for this long (real ms), once, early in the run. */
    dbOutageMs?: number;
  };
  /** Sender retries before it drops a batch (HubSpot: 10). */
  maxRetries?: number;
  /** Card API GETs to time after the drain (warm cache). */
  cardRequests?: number;
  drainTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ScenarioResult {
  name: string;
  impl: 'tossup' | 'naive';
  portals: number;
  instances: number;
  events: number;
  K: number;
  U: number;
  T: number;
  cMin: number;
  calls: number;
  callsPerEvent: number;
  ratio: number;
  rateLimited: number;
  injectedFaults: number;
  ackMs: { p50: number; p95: number; p99: number; max: number; count: number };
  postStatuses: Record<string, number>;
  eventsPerSecond: number;
  /** First POST → inbox drained (last side effect committed), real ms. */
  durationMs: number;
  /** First POST → last answer, real ms. */
  ingestMs: number;
  peakRssMiB: number;
  duplicates: number;
  mismatches: number;
  mismatchExamples: string[];
  droppedEvents: number;
  parkedEvents: number;
  correct: boolean;
  /** Events processed per backend instance (from /metrics, alive instances only). */
  perInstance: Record<string, number>;
  kills: number;
  restarts: number;
  dbOutageMs: number;
  drained: boolean;
  /** Inbox progress (0–1: half acked share, half processed share) at each chaos action. */
  chaosAt: number[];
  /** Chaos actions that failed (the run is then not a valid chaos run). */
  chaosErrors: string[];
  /** Backend processes that died on their own (not killed by the chaos controller). */
  crashes: number;
  card?: { requests: number; statuses: Record<string, number>; p50: number; p95: number };
  endpoints: Record<string, number>;
  /** Hash of the compared final state; equal for runs that end in the same state. */
  stateDigest: string;
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The bench is the webhook source, so the sandbox's own delivery is switched off with an empty subscription list. */
function writeNoSubscriptions(dir: string): string {
  const file = path.join(dir, 'webhooks-hsmeta.json');
  writeFileSync(file, JSON.stringify({ uid: 'bench_webhooks', type: 'webhooks', config: { settings: { maxConcurrentRequests: 10 }, subscriptions: { crmObjects: [], legacyCrmObjects: [], hubEvents: [] } } }));
  return file;
}

interface InboxCounts {
  pending: number;
  parked: number;
  done: number;
  total: number;
}

async function inboxCounts(client: pg.Pool): Promise<InboxCounts> {
  const r = await client.query<InboxCounts>(
    `select count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'parked')::int as parked,
            count(*) filter (where status = 'done')::int as done, count(*)::int as total from webhook_inbox`,
  );
  return r.rows[0]!;
}

async function scrapeProcessed(port: number): Promise<number | undefined> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    let n = 0;
    for (const m of text.matchAll(/^tossup_inbox_processed_total\{outcome="(done|skipped)"\} (\d+)/gm)) n += Number(m[2]);
    return n;
  } catch {
    return undefined;
  }
}

/**
 * After the install the app's first reconciliation sweep looks back an hour and
 * queues every recently modified contact of the seeded portal. The burst starts once
 * that has been processed, so the run measures the burst and not the install (the
 * next sweep is 15 min of HubSpot time later: 90 s real at time scale 10).
 */
async function settle(monitor: pg.Pool, portals: number, log: (line: string) => void): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    const swept = await monitor.query<{ n: number }>(`select count(*)::int as n from jobs where kind = 'reconcile' and run_at > created_at + 300000`);
    const c = await inboxCounts(monitor);
    if (swept.rows[0]!.n >= portals && c.pending === 0) break;
    if (performance.now() - t0 > 120_000) throw new Error(`bench: the app did not settle after install within 120 s (reconciled ${swept.rows[0]!.n}/${portals} portals, ${c.pending} events pending)`);
    await sleep(100);
  }
  log(`  settled after install in ${round((performance.now() - t0) / 1000)} s (first reconciliation sweep processed)`);
}

/** Runs the OAuth install through the app's /oauth/install, with HubSpot's authorize page played by the sandbox. */
async function installThroughApp(sandbox: Sandbox, appUrl: string, portalId: number): Promise<void> {
  const start = await fetch(`${appUrl}/oauth/install`, { redirect: 'manual' });
  const location = start.headers.get('location');
  if (!location) throw new Error(`bench: /oauth/install answered ${start.status} without a redirect`);
  const authorize = new URL(location);
  const local = new URL(`${authorize.pathname}${authorize.search}`, sandbox.url).toString();
  const result = await sandbox.installApp(local, { portalId });
  if (result.status !== 200) throw new Error(`bench: install into portal ${portalId} failed (${result.status}): ${result.text.slice(0, 300)} via ${result.trail.join(' → ')}`);
}

export async function runScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  const log = spec.log ?? (() => undefined);
  const instances = spec.impl === 'naive' ? 1 : (spec.instances ?? 1);
  const clockSpec = newClockSpec(spec.timeScale);
  const clock = createSharedClock(clockSpec);
  const tmp = mkdtempSync(path.join(tmpdir(), 'tossup-bench-'));
  const cleanups: (() => Promise<unknown>)[] = [async () => rmSync(tmp, { recursive: true, force: true })];
  const children: BenchChild[] = [];
  let restarts = 0;
  let kills = 0;
  let outageMs = 0;
  const chaosAt: number[] = [];
  const chaosErrors: string[] = [];
  const crashed = new Set<number>();

  try {
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
    cleanups.push(() => sandbox.close());
    const portalIds = [sandbox.portalId];
    while (portalIds.length < spec.portals) portalIds.push(sandbox.createPortal({ seed: true }).portalId);

    // ---- the system under test
    let dbt: TestDatabase | undefined;
    let dbName = '';
    let monitor: pg.Pool | undefined;
    const backendEnv = (port: number, instanceId: string): Record<string, string> => ({
      PORT: String(port),
      PUBLIC_BASE_URL: publicBase,
      HUBSPOT_CLIENT_ID: sandbox.clientId,
      HUBSPOT_CLIENT_SECRET: sandbox.clientSecret,
      HUBSPOT_APP_ID: String(sandbox.appId),
      HUBSPOT_API_BASE_URL: sandbox.url,
      DATABASE_URL: dbt!.url!,
      TOKEN_ENCRYPTION_KEY: tokenKey,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      TOSSUP_DATA_DIR: tmp,
      BENCH_CLOCK: JSON.stringify(clockSpec),
      BENCH_INSTANCE_ID: instanceId,
      BENCH_POLL_MS: '200',
    });
    const tokenKey = randomBytes(32).toString('base64');
    const ports: number[] = [];
    if (spec.impl === 'tossup') {
      dbt = await createTestDatabase('postgres');
      dbName = new URL(dbt.url!).pathname.slice(1);
      // The parent needs no pool of its own beyond the monitor (one connection): the helper's is closed.
      await dbt.db.close();
      cleanups.push(() => dbt!.drop());
      monitor = new pg.Pool({ connectionString: dbt.url!, max: 1 });
      monitor.on('error', () => undefined);
      cleanups.push(() => monitor!.end());
      for (let i = 0; i < instances; i++) {
        const port = i === 0 ? port0 : await freePort();
        ports.push(port);
        children.push(await startChild(`backend-${i}`, benchScript('backend-process.ts'), backendEnv(port, `bench-instance-${i}`)));
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

    let nextEventId = 500_000_001;
    const workloads: PortalWorkload[] = portalIds.map((portalId) =>
      buildPortalWorkload(
        sandbox,
        portalId,
        { contacts: spec.contactsPerPortal, events: spec.eventsPerPortal, redeliveryRate: spec.redeliveryRate ?? 0.05, zipfS: spec.zipfS ?? 1, seed: spec.seed },
        () => nextEventId++,
      ),
    );
    const initial = new Map(workloads.map((w) => [w.portalId, new Map(w.contactIds.map((id) => [id, structuredClone(sandbox.portal(w.portalId).objects.contacts[id]!.properties)]))]));
    const totalEvents = workloads.reduce((n, w) => n + w.events.length, 0);
    log(`[${spec.name}/${spec.impl}] ${portalIds.length} portal(s), ${totalEvents} events over ${workloads.reduce((n, w) => n + w.touched, 0)} contacts`);

    sandbox.resetStats();
    if (spec.faults) sandbox.setFaults(spec.faults);
    // Work done during the install and settle is not the burst's: per-instance counts are deltas from here (by pid: a restarted process starts at 0).
    const baseline = new Map<number, number>();
    for (const c of children) if (spec.impl === 'tossup') baseline.set(c.pid, (await scrapeProcessed(c.port)) ?? 0);

    // ---- chaos controller: acts at seeded points of the run's progress
    const chaosPrng = createPrng((spec.chaosSeed ?? spec.seed) * 31 + 7);
    const [killFrom, killTo] = spec.chaos?.killWindow ?? [0.05, 0.9];
    const killAt = Array.from({ length: spec.chaos?.kills ?? 0 }, () => killFrom + chaosPrng.next() * (killTo - killFrom)).sort((a, b) => a - b);
    const outageAt = spec.chaos?.dbOutageMs ? 0.1 + chaosPrng.next() * 0.3 : undefined;
    let acked = 0;
    let counts: InboxCounts = { pending: 0, parked: 0, done: 0, total: 0 };
    // Rows from the install's reconciliation sweep are not the burst's.
    const before: InboxCounts = monitor ? await inboxCounts(monitor) : { pending: 0, parked: 0, done: 0, total: 0 };
    const progress = () => {
      const stored = counts.total - before.total;
      return (acked / totalEvents + (stored > 0 ? (counts.done - before.done) / stored : 0)) / 2;
    };
    let chaosBusy = false;
    const chaosStep = async () => {
      if (chaosBusy || spec.impl !== 'tossup') return;
      chaosBusy = true;
      try {
        if (outageAt !== undefined && outageMs === 0 && progress() >= outageAt) {
          outageMs = spec.chaos!.dbOutageMs!;
          chaosAt.push(round(progress(), 3));
          log(`  chaos: database ${dbName} refuses connections for ${outageMs} ms (progress ${round(progress() * 100)} %)`);
          await databaseOutage(dbName, outageMs);
          log('  chaos: database back');
        }
        if (killAt.length > 0 && progress() >= killAt[0]!) {
          killAt.shift();
          chaosAt.push(round(progress(), 3));
          const victim = kills % children.length;
          log(`  chaos: kill -9 backend-${victim} (pid ${children[victim]!.pid}) at progress ${round(progress() * 100)} %`);
          await children[victim]!.kill9();
          kills++;
          children[victim] = await startChild(`backend-${victim}`, benchScript('backend-process.ts'), backendEnv(ports[victim]!, `bench-instance-${victim}`));
          restarts++;
        }
      } catch (err) {
        log(`  chaos action failed: ${(err as Error).message}`);
        chaosErrors.push((err as Error).message);
      } finally {
        chaosBusy = false;
      }
    };

    // A running service is warm: one signed empty batch per connection, so the first
    // POSTs of the burst do not time JIT compilation and pool connects.
    for (const port of ports) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const timestamp = clock.now();
          await fetch(`http://127.0.0.1:${port}/webhooks/hubspot`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'X-HubSpot-Signature-v3': signV3({ clientSecret: sandbox.clientSecret, method: 'POST', uri: `${publicBase}/webhooks/hubspot`, body: '[]', timestamp }),
              'X-HubSpot-Request-Timestamp': String(timestamp),
            },
            body: '[]',
          }).then((r) => r.arrayBuffer());
        }),
      );
    }

    // ---- the burst
    const started = performance.now();
    let lastLog = 0;
    // The monitor's count over webhook_inbox costs the database real work on a big
    // inbox, so it runs at most every 500 ms and never twice at once; chaos runs sample
    // every 100 ms so their actions land at the intended progress of a short burst.
    const countEveryMs = spec.chaos ? 100 : 500;
    let counting = false;
    let lastCount = 0;
    const ticker = setInterval(() => {
      void (async () => {
        if (monitor && !counting && performance.now() - lastCount >= countEveryMs) {
          counting = true;
          counts = await inboxCounts(monitor).catch(() => counts);
          lastCount = performance.now();
          counting = false;
        }
        void chaosStep();
        // A backend that died without being killed by the chaos controller is a crash:
        // report it with its last output instead of waiting for the timeout.
        for (const c of children) {
          if (!chaosBusy && !crashed.has(c.pid) && (c.proc.exitCode !== null || c.proc.signalCode !== null)) {
            crashed.add(c.pid);
            log(`  ${c.name} (pid ${c.pid}) CRASHED (exit ${String(c.proc.exitCode ?? c.proc.signalCode)}):\n${c.output().split('\n').slice(-15).join('\n')}`);
          }
        }
        const now = performance.now();
        if (now - lastLog > 2_000) {
          lastLog = now;
          const calls = Object.values(sandbox.stats().portals).reduce((n, p) => n + p.calls, 0);
          log(`  ${round((now - started) / 1000)} s: acked ${acked}/${totalEvents}, inbox pending ${counts.pending} done ${counts.done}, API calls ${calls}`);
        }
      })();
    }, 100);
    let load: LoadResult;
    try {
      load = await sendBurst(workloads, {
        clientSecret: sandbox.clientSecret,
        clock,
        timeScale: spec.timeScale,
        publicUrl: `${publicBase}/webhooks/hubspot`,
        targets: () => ports.map((p) => `http://127.0.0.1:${p}/webhooks/hubspot`),
        maxRetries: spec.maxRetries ?? 10,
        shouldStop: () => crashed.size > 0,
        onProgress: (p) => {
          acked = p.acked;
        },
      });
      // ---- the drain: every stored event processed (pending = 0), chaos finished
      let drained = spec.impl === 'naive';
      const deadline = performance.now() + (spec.drainTimeoutMs ?? 600_000);
      while (!drained && crashed.size === 0 && performance.now() < deadline) {
        if (!chaosBusy && killAt.length === 0 && (outageAt === undefined || outageMs > 0)) {
          const c = await inboxCounts(monitor!).catch(() => undefined);
          if (c) counts = c;
          if (c && c.pending === 0) drained = true;
        }
        if (!drained) await sleep(200);
      }
      const finished = performance.now();
      clearInterval(ticker);
      while (chaosBusy) await sleep(50);

      // ---- measurements
      const stats = sandbox.stats();
      const endpoints: Record<string, number> = {};
      let calls = 0;
      let rateLimited = 0;
      let injected = 0;
      for (const p of Object.values(stats.portals)) {
        calls += p.calls;
        rateLimited += p.rateLimited + p.searchRateLimited;
        injected += p.injectedFaults;
        for (const [e, s] of Object.entries(p.endpoints)) endpoints[e] = (endpoints[e] ?? 0) + s.calls;
      }
      const oracles: PortalOracle[] = workloads.map((w) => buildOracle(w.portalId, sandbox.portal(w.portalId), initial.get(w.portalId)!, clock.now()));
      const checks: PortalCheck[] = oracles.map((o) => checkPortal(sandbox, o));
      let cMin = 0;
      let K = 0;
      let U = 0;
      let T = 0;
      for (const [i, o] of oracles.entries()) {
        const k = workloads[i]!.touched;
        K += k;
        U += o.U;
        T += o.T;
        cMin += Math.ceil(k / 100) + Math.ceil(o.U / 100) + Math.ceil(o.T / 100);
      }
      const perInstance: Record<string, number> = {};
      if (spec.impl === 'tossup') for (const c of children) perInstance[c.name] = ((await scrapeProcessed(c.port)) ?? 0) - (baseline.get(c.pid) ?? 0);
      const card = spec.impl === 'tossup' && spec.cardRequests ? await measureCards(sandbox, portalIds[0]!, workloads[0]!, spec.cardRequests) : undefined;
      const rss = Math.max(...children.map((c) => Math.max(c.rss().sampledPeak, c.rss().hwm)));
      const mismatches = checks.reduce((n, c) => n + c.mismatches, 0);
      const duplicates = checks.reduce((n, c) => n + c.duplicateSideEffects, 0);
      const durationMs = finished - started;
      const result: ScenarioResult = {
        name: spec.name,
        impl: spec.impl,
        portals: portalIds.length,
        instances,
        events: totalEvents,
        K,
        U,
        T,
        cMin,
        calls,
        callsPerEvent: round(calls / totalEvents, 4),
        ratio: round(calls / Math.max(cMin, 1), 2),
        rateLimited,
        injectedFaults: injected,
        ackMs: { p50: round(percentile(load.ackMs, 50)), p95: round(percentile(load.ackMs, 95)), p99: round(percentile(load.ackMs, 99)), max: round(percentile(load.ackMs, 100)), count: load.ackMs.length },
        postStatuses: load.statuses,
        // Events that reached the app (the baseline drops some); redeliveries included, as HubSpot sends them.
        eventsPerSecond: round((totalEvents - load.droppedEvents) / (durationMs / 1000)),
        durationMs: Math.round(durationMs),
        ingestMs: Math.round(load.finishedAt - load.startedAt),
        peakRssMiB: round(rss / MiB),
        duplicates,
        mismatches,
        mismatchExamples: checks.flatMap((c) => c.examples).slice(0, 5),
        droppedEvents: load.droppedEvents,
        parkedEvents: counts.parked,
        correct: mismatches === 0 && duplicates === 0 && load.droppedEvents === 0 && counts.parked === 0 && drained && crashed.size === 0,
        perInstance,
        kills,
        restarts,
        dbOutageMs: outageMs,
        drained,
        chaosAt,
        chaosErrors,
        crashes: crashed.size,
        ...(card ? { card } : {}),
        endpoints,
        stateDigest: createHash('sha256').update(checks.flatMap((c) => c.digest).join('\n')).digest('hex').slice(0, 16),
      };
      log(
        `[${spec.name}/${spec.impl}] ${result.correct ? 'correct' : 'NOT correct'}: ${result.events} events in ${round(durationMs / 1000)} s (${result.eventsPerSecond}/s), ${calls} calls (C_min ${cMin}, ratio ${result.ratio}), 429s ${rateLimited}, ack p95 ${result.ackMs.p95} ms, RSS ${result.peakRssMiB} MiB, duplicates ${duplicates}, mismatches ${mismatches}${drained ? '' : ', NOT drained'}`,
      );
      for (const e of result.mismatchExamples) log(`    ${e}`);
      return result;
    } finally {
      clearInterval(ticker);
    }
  } catch (err) {
    for (const c of children) process.stderr.write(`--- ${c.name} output ---\n${c.output()}\n`);
    throw err;
  } finally {
    for (const c of children) await c.stop().catch(() => undefined);
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  }
}

/**
 * "Database unavailable" without touching the shared server others use: the run's own
 * throwaway database stops accepting connections (ALLOW_CONNECTIONS false also binds
 * superusers, unlike REVOKE CONNECT) and its sessions are terminated, for `ms`; then
 * it is opened again. For the app this is what a stopped server looks like: every
 * query fails with a connection error until it comes back.
 */
async function databaseOutage(dbName: string, ms: number): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`alter database ${dbName} allow_connections false`);
    const ends = performance.now() + ms;
    // Keep terminating: pools retry their connections during the outage. A failed
    // round (a session that ended by itself meanwhile) is simply repeated.
    while (performance.now() < ends) {
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]).catch(() => undefined);
      await sleep(Math.min(500, Math.max(0, ends - performance.now())));
    }
  } finally {
    // Whatever happened above, the database must come back, or the run would wait forever.
    await admin.query(`alter database ${dbName} allow_connections true`).catch(async () => {
      const again = new pg.Client({ connectionString: TEST_SERVER_URL });
      await again.connect();
      await again.query(`alter database ${dbName} allow_connections true`).finally(() => again.end());
    });
    await admin.end().catch(() => undefined);
  }
}

/** The card API's GET handoff as hubspot.fetch calls it, timed after one warming request per contact. */
async function measureCards(sandbox: Sandbox, portalId: number, workload: PortalWorkload, requests: number): Promise<ScenarioResult['card']> {
  const portal = sandbox.portal(portalId);
  const user = portal.owners.find((o) => !o.archived)!;
  const contacts = workload.contactIds.slice(0, Math.max(1, Math.min(20, requests)));
  for (const id of contacts) await sandbox.cardFetch({ path: `/api/v1/contacts/${id}/handoff`, userId: user.userId, portalId }).catch(() => undefined);
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  for (let i = 0; i < requests; i++) {
    const id = contacts[i % contacts.length]!;
    const t0 = performance.now();
    const res = await sandbox.cardFetch({ path: `/api/v1/contacts/${id}/handoff`, userId: user.userId, portalId });
    times.push(performance.now() - t0);
    statuses[String(res.status)] = (statuses[String(res.status)] ?? 0) + 1;
  }
  return { requests, statuses, p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
}
