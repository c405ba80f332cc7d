/**
 * One tossup backend as a child process of the benchmark (and of the scale-out and
 * chaos tests): the real `createBackend` + `wireServices` against a PostgreSQL
 * database and the sandbox, on the shared scaled clock. A separate process so that
 * its RSS is measured alone, two of them can share one database (scale-out), and it
 * can be killed with SIGKILL mid-burst (chaos).
 *
 * Configuration is the product's own environment contract (PORT, PUBLIC_BASE_URL,
 * HUBSPOT_*, DATABASE_URL, TOKEN_ENCRYPTION_KEY, LOG_LEVEL, TOSSUP_ROLE: web, worker or all) plus:
 *   BENCH_CLOCK        JSON ClockSpec (shared-clock.ts)
 *   BENCH_INSTANCE_ID  stable instance id (a restarted process reclaims its own portal leases at once, like a StatefulSet pod)
 *   BENCH_POLL_MS      inbox poll interval in real ms
 *   BENCH_HEAP_PROF    a child name (e.g. worker-0): that child writes a heap profile at its RSS peak (heap-at-peak.ts)
 *                      into BENCH_HEAP_PROF_DIR
 * The bench runs it compiled (dist/app/src/bench-backend.js, `npm run build -- --bench`'s
 * output, by `node` with no loader: child-process.ts), so what it measures is the
 * production process's code. It reports `{ type: 'ready', port }` over IPC once listening.
 */
import { createBackend } from '../../src/composition/create-backend';
import { stopOnSignals } from '../../src/composition/stop-on-signals';
import { loadConfig } from '../../src/platform/config';
import { createDatabase } from '../../src/storage/database';
import { startHeapAtPeak } from './heap-at-peak';
import { createSharedClock, scaledSleep, type ClockSpec } from './shared-clock';

async function main(): Promise<void> {
  const childName = process.env.BENCH_CHILD_NAME;
  if (childName && process.env.BENCH_HEAP_PROF === childName) await startHeapAtPeak({ name: childName, dir: process.env.BENCH_HEAP_PROF_DIR ?? '.' });
  const config = loadConfig(process.env);
  if (!config.databaseUrl) throw new Error('bench backend: DATABASE_URL is required (several processes share one PostgreSQL database)');
  const spec = JSON.parse(process.env.BENCH_CLOCK ?? '') as ClockSpec;
  const clock = createSharedClock(spec);
  const db = await createDatabase({ kind: 'postgres', url: config.databaseUrl, poolSize: 8 });
  const instanceId = process.env.BENCH_INSTANCE_ID ?? `bench-${process.pid}`;
  // The gateway waits for the per-portal budget in scaled time; with DATABASE_URL the
  // budget lives in the database, shared by every process (scale-out).
  const backend = await createBackend(config, {
    clock,
    db,
    instanceId,
    wire: {
      pollIntervalMs: Number(process.env.BENCH_POLL_MS ?? 200),
      gateway: { sleep: scaledSleep(spec.timeScale) },
      // `--coalesce-max-wait` (run-bench.ts): the coalescing window's bound, in HubSpot ms.
      ...(process.env.BENCH_COALESCE_MAX_WAIT_MS ? { worker: { coalesceMaxWaitMs: Number(process.env.BENCH_COALESCE_MAX_WAIT_MS) } } : {}),
    },
  });
  const { server, port } = await backend.listen(config.port);
  // HubSpot keeps up to 10 connections open per app; the default keep-alive (5 s) is fine.
  server.keepAliveTimeout = 5_000;
  process.send?.({ type: 'ready', port, instanceId, role: config.role });

  // The product's own shutdown (drain HTTP, finish the current batch, close the pools, exit 0).
  stopOnSignals(async () => {
    await backend.close();
    await db.close();
  }, backend.runtime.logger);
  // The bench owns this process: if the bench dies (IPC channel closed), so does it.
  process.once('disconnect', () => process.exit(1));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench backend failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
