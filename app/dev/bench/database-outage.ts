import pg from 'pg';
import { TEST_SERVER_URL } from '../throwaway-database';
import { sleep } from './sleep';

/**
 * "Database unavailable" without touching the shared server others use: the run's own
 * throwaway database stops accepting connections (ALLOW_CONNECTIONS false also binds
 * superusers, unlike REVOKE CONNECT) and its sessions are terminated, for `ms`; then
 * it is opened again. For the app this is what a stopped server looks like: every
 * query fails with a connection error until it comes back.
 */
export async function databaseOutage(dbName: string, ms: number): Promise<void> {
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
