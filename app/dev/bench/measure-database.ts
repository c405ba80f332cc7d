import { pino } from 'pino';
import type pg from 'pg';
import type { Clock } from '../../src/platform/clock';
import { createMetrics } from '../../src/platform/metrics';
import { createDatabase } from '../../src/storage/database';
import { createRetentionJob, type RetentionSummary } from '../../src/worker/retention-job';
import { MiB, round } from './stats-util';

/**
 * The database's size after a burst, and what retention (worker/retention-job.ts)
 * frees: one retention pass with the defaults run 8 days (clock time) after the drain,
 * then measured as the server holds it after a plain VACUUM (deleted space reusable,
 * files not shrunk: what autovacuum gives) and after VACUUM FULL (what the data needs).
 */
export interface DatabaseSize {
  databaseMiB: number;
  /** pg_total_relation_size (table + indexes + TOAST) of the largest tables, MiB. */
  tablesMiB: Record<string, number>;
  inboxRows: number;
}

export interface DatabaseSizes {
  afterBurst: DatabaseSize;
  retention: RetentionSummary;
  afterRetentionVacuum: DatabaseSize;
  afterRetentionVacuumFull: DatabaseSize;
}

const RETENTION_LATER_MS = 8 * 86_400_000;

async function measureSize(monitor: pg.Pool): Promise<DatabaseSize> {
  const db = await monitor.query<{ n: string }>('select pg_database_size(current_database()) as n');
  const tables = await monitor.query<{ name: string; n: string }>(
    `select c.relname as name, pg_total_relation_size(c.oid) as n from pg_class c join pg_namespace s on s.oid = c.relnamespace
     where c.relkind = 'r' and s.nspname = 'public' order by pg_total_relation_size(c.oid) desc limit 6`,
  );
  const rows = await monitor.query<{ n: number }>('select count(*)::int as n from webhook_inbox');
  return {
    databaseMiB: round(Number(db.rows[0]!.n) / MiB),
    tablesMiB: Object.fromEntries(tables.rows.map((r) => [r.name, round(Number(r.n) / MiB)])),
    inboxRows: rows.rows[0]!.n,
  };
}

export async function measureDatabaseAndRetention(monitor: pg.Pool, databaseUrl: string, clock: Clock): Promise<DatabaseSizes> {
  await monitor.query('vacuum');
  const afterBurst = await measureSize(monitor);
  const db = await createDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 1 });
  let retention: RetentionSummary;
  try {
    const job = createRetentionJob({ db, clock, logger: pino({ level: 'silent' }), metrics: createMetrics({ defaultMetrics: false }) });
    retention = await job.runOnce(clock.now() + RETENTION_LATER_MS);
  } finally {
    await db.close();
  }
  await monitor.query('vacuum');
  const afterRetentionVacuum = await measureSize(monitor);
  await monitor.query('vacuum full');
  const afterRetentionVacuumFull = await measureSize(monitor);
  return { afterBurst, retention, afterRetentionVacuum, afterRetentionVacuumFull };
}
