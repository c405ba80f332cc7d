/**
 * `jobs` (0001_foundation.sql): periodic per-portal work, today the reconciliation
 * sweep (app/src/worker/reconcile-sweep.ts), one row per portal keyed
 * `reconcile:<portalId>`. A job is claimed with FOR UPDATE SKIP LOCKED plus a lease
 * (locked_until), so with several processes each run happens once and a crashed run
 * is picked up again when its lease expires. The only SQL for the table.
 */
import type { Queryable } from './database';

export interface ReconcileJob {
  id: number;
  portalId: string;
  /** End of the last swept window; absent before the first sweep. */
  sinceMs: number | undefined;
}

/** Creates the missing reconcile job of every active install, due now, its first window starting at `initialSinceMs`. */
export async function ensureReconcileJobs(db: Queryable, now: number, initialSinceMs: number): Promise<void> {
  await db.query(
    `insert into jobs (portal_id, kind, job_key, run_at, status, payload, created_at, updated_at)
     select portal_id, 'reconcile', 'reconcile:' || portal_id, $1, 'pending', jsonb_build_object('sinceMs', $2::bigint), $1, $1
     from installs where status = 'active'
     on conflict (job_key) do nothing`,
    [now, initialSinceMs],
  );
}

/** Claims the earliest due reconcile job of an active install (or one whose lease expired) until now + leaseMs. */
export async function claimReconcileJob(db: Queryable, now: number, holder: string, leaseMs: number): Promise<ReconcileJob | undefined> {
  const res = await db.query<{ id: number; portal_id: number; payload: { sinceMs?: number } }>(
    `update jobs set status = 'running', locked_by = $2, locked_until = $3, attempts = attempts + 1, updated_at = $1
     where id = (
       select j.id from jobs j
       where j.kind = 'reconcile'
         and ((j.status = 'pending' and j.run_at <= $1) or (j.status = 'running' and j.locked_until < $1))
         and exists (select 1 from installs i where i.portal_id = j.portal_id and i.status = 'active')
       order by j.run_at limit 1
       for update skip locked)
     returning id, portal_id, payload`,
    [now, holder, now + leaseMs],
  );
  const row = res.rows[0];
  return row ? { id: Number(row.id), portalId: String(row.portal_id), sinceMs: row.payload.sinceMs } : undefined;
}

/** A finished run: the next one is due at `runAt` and starts its window at `sinceMs`. Only the holder may do this. */
export async function completeReconcileJob(db: Queryable, job: ReconcileJob, holder: string, runAt: number, sinceMs: number, now: number): Promise<void> {
  await db.query(
    `update jobs set status = 'pending', run_at = $3, payload = jsonb_build_object('sinceMs', $4::bigint), locked_by = null, locked_until = null,
       attempts = 0, last_error = null, updated_at = $5
     where id = $1 and locked_by = $2`,
    [job.id, holder, runAt, sinceMs, now],
  );
}

/** A failed run: retried at `runAt` with its window kept (a periodic job is never parked). Only the holder may do this. */
export async function retryReconcileJob(db: Queryable, job: ReconcileJob, holder: string, runAt: number, error: string, now: number): Promise<void> {
  await db.query(`update jobs set status = 'pending', run_at = $3, locked_by = null, locked_until = null, last_error = $4, updated_at = $5 where id = $1 and locked_by = $2`, [
    job.id,
    holder,
    runAt,
    error.slice(0, 2000),
    now,
  ]);
}
