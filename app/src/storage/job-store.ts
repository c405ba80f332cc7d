/**
 * `jobs` (0001_foundation.sql): periodic per-portal work, today the reconciliation
 * sweep (app/src/worker/reconcile-sweep.ts), one row per portal keyed
 * `reconcile:<portalId>`, and the settings page's full-portal impact runs (below). A job is claimed with FOR UPDATE SKIP LOCKED plus a lease
 * (locked_until), so with several processes each run happens once and a crashed run
 * is picked up again when its lease expires. The only SQL for the table.
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { TossupStage } from '../domain/types';
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

// ---------------------------------------------------------------------------
// `impact_run` jobs (migrations/0350_impact_runs.sql): the full-portal impact run of
// a settings draft (issue 16, app/src/worker/impact-runner.ts). The inputs (draft and
// published settings, frozen at the start) and the progress are the row's payload, so
// a run that lost its process resumes from its cursor when the lease expires, and any
// web process answers "n / m" from the row.

/** What a run compares: frozen when it starts, so a resumed run counts the same thing. */
export interface ImpactRunInputs {
  draft: PortalSettings;
  published: PortalSettings;
  /** The live version's number in settings_versions (null: the portal has no history yet), for the page to name. */
  publishedVersion: number | null;
  /** portal_settings' concurrency token the published side was read with: another publish changes it. */
  publishedToken: number;
  draftFingerprint: string;
  requestedBy: string | null;
  /** Contacts a run evaluates at most. */
  limit: number;
}

export interface ImpactRunProgress {
  phase: 'queued' | 'listing' | 'evaluating' | 'finished';
  /** The last contact id evaluated (contacts go in ascending id order); null before the first page. */
  cursor: string | null;
  total: number | null;
  /** Listed contacts done so far, the "n" of "n / total" (deleted ones included: they were listed, then not found). */
  read: number;
  /** Contacts evaluated (read back from HubSpot). */
  evaluated: number;
  pagesDone: number;
  truncated: boolean;
  changed: number;
  transitions: { from: TossupStage; to: TossupStage; count: number }[];
  handoffs: number;
  handoffTasksByRep: { ownerId: string; count: number }[];
  mqlTasks: number;
  stageMoves: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export type ImpactRunStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ImpactRun {
  id: string;
  portalId: string;
  status: ImpactRunStatus;
  /** Claims so far: more than one means the run was resumed after losing its process. */
  attempts: number;
  createdAt: number;
  updatedAt: number;
  error: Bilingual | null;
  inputs: ImpactRunInputs;
  progress: ImpactRunProgress;
}

export const EMPTY_IMPACT_PROGRESS: ImpactRunProgress = {
  phase: 'queued',
  cursor: null,
  total: null,
  read: 0,
  evaluated: 0,
  pagesDone: 0,
  truncated: false,
  changed: 0,
  transitions: [],
  handoffs: 0,
  handoffTasksByRep: [],
  mqlTasks: 0,
  stageMoves: 0,
  startedAt: null,
  finishedAt: null,
};

/** Finished runs kept per portal (the page shows the latest; older ones are history nobody reads). */
export const IMPACT_RUNS_KEPT = 10;

export interface ImpactRunStore {
  /** A new pending run, or the portal's run in progress (`created: false`): one run per portal at a time. */
  start(portalId: string, inputs: ImpactRunInputs, now: number): Promise<{ run: ImpactRun; created: boolean }>;
  latest(portalId: string): Promise<ImpactRun | null>;
  get(portalId: string, id: string): Promise<ImpactRun | null>;
  /** Stops a pending or running run (the runner notices between pages); a finished run is returned as it is. null: no such run. */
  cancel(portalId: string, id: string, now: number): Promise<ImpactRun | null>;
  /** The oldest pending run of an active install, or a running one whose lease expired (its process died). */
  claim(now: number, holder: string, leaseMs: number): Promise<ImpactRun | undefined>;
  /** Saves progress and renews the lease; false when the run was cancelled or is no longer this holder's. */
  save(id: string, holder: string, progress: ImpactRunProgress, now: number, leaseMs: number): Promise<boolean>;
  finish(id: string, holder: string, progress: ImpactRunProgress, now: number): Promise<boolean>;
  /** A graceful stop: back to pending at once for any worker to resume (not counted as a lost claim). */
  release(id: string, holder: string, now: number): Promise<boolean>;
  fail(id: string, holder: string, progress: ImpactRunProgress, error: Bilingual, now: number): Promise<boolean>;
}

interface ImpactRow {
  id: string | number;
  portal_id: string | number;
  status: ImpactRunStatus;
  attempts: number;
  created_at: string | number;
  updated_at: string | number;
  last_error: string | null;
  payload: { inputs: ImpactRunInputs; progress: ImpactRunProgress };
}

const IMPACT_COLUMNS = 'id, portal_id, status, attempts, created_at, updated_at, last_error, payload';

function errorOf(text: string | null): Bilingual | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as Partial<Bilingual>;
    if (typeof parsed.ja === 'string' && typeof parsed.en === 'string') return { ja: parsed.ja, en: parsed.en };
  } catch {
    // Not ours: shown as it is in both languages.
  }
  return { ja: text, en: text };
}

function impactRunOf(row: ImpactRow): ImpactRun {
  return {
    id: String(row.id),
    portalId: String(row.portal_id),
    status: row.status,
    attempts: Number(row.attempts),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    error: errorOf(row.last_error),
    inputs: row.payload.inputs,
    progress: { ...EMPTY_IMPACT_PROGRESS, ...row.payload.progress },
  };
}

const isIdText = (id: string) => /^\d{1,18}$/.test(id);

/**
 * Uninstall: a portal's impact runs go with its settings (their rows hold copies of the draft
 * and published settings, and owner ids in the per-rep counts); a pending run of a portal that
 * left would otherwise sit unclaimed for ever.
 */
export async function deletePortalImpactRuns(db: Queryable, portalId: string): Promise<void> {
  await db.query("delete from jobs where kind = 'impact_run' and portal_id = $1", [portalId]);
}

export function createImpactRunStore(db: Queryable): ImpactRunStore {
  const one = async (sql: string, params: unknown[]) => {
    const res = await db.query<ImpactRow>(sql, params);
    return res.rows[0] ? impactRunOf(res.rows[0]) : null;
  };
  const latest = (portalId: string) => one(`select ${IMPACT_COLUMNS} from jobs where kind = 'impact_run' and portal_id = $1 order by id desc limit 1`, [portalId]);
  const finishAs = async (status: 'done' | 'failed', id: string, holder: string, progress: ImpactRunProgress, error: Bilingual | null, now: number) => {
    const res = await db.query(
      `update jobs set status = $3, payload = jsonb_set(payload, '{progress}', $4::jsonb), last_error = $5, locked_by = null, locked_until = null, updated_at = $6
       where id = $1 and kind = 'impact_run' and status = 'running' and locked_by = $2`,
      [id, holder, status, JSON.stringify(progress), error ? JSON.stringify(error) : null, now],
    );
    return (res.rowCount ?? 0) > 0;
  };

  const store: ImpactRunStore = {
    async start(portalId, inputs, now) {
      // The partial unique index (one pending/running run per portal) decides a race between two starts.
      const created = await one(
        `insert into jobs (portal_id, kind, job_key, run_at, status, payload, created_at, updated_at)
         values ($1::bigint, 'impact_run', 'impact_run:' || $1::text || ':' || $2::text || ':' || md5(random()::text), $2::bigint, 'pending', $3::jsonb, $2::bigint, $2::bigint)
         on conflict (portal_id) where kind = 'impact_run' and status in ('pending', 'running') do nothing
         returning ${IMPACT_COLUMNS}`,
        [portalId, now, JSON.stringify({ inputs, progress: EMPTY_IMPACT_PROGRESS })],
      );
      if (created) {
        await db.query(
          `delete from jobs where kind = 'impact_run' and portal_id = $1 and status not in ('pending', 'running')
             and id not in (select id from jobs where kind = 'impact_run' and portal_id = $1 order by id desc limit $2)`,
          [portalId, IMPACT_RUNS_KEPT],
        );
        return { run: created, created: true };
      }
      const active = await one(`select ${IMPACT_COLUMNS} from jobs where kind = 'impact_run' and portal_id = $1 and status in ('pending', 'running')`, [portalId]);
      // The running one finished between the insert and this read: start again.
      return active ? { run: active, created: false } : store.start(portalId, inputs, now);
    },
    latest,
    get: (portalId, id) => (isIdText(id) ? one(`select ${IMPACT_COLUMNS} from jobs where kind = 'impact_run' and portal_id = $1 and id = $2`, [portalId, id]) : Promise.resolve(null)),
    async cancel(portalId, id, now) {
      if (!isIdText(id)) return null;
      const cancelled = await one(
        `update jobs set status = 'cancelled', locked_by = null, locked_until = null, updated_at = $3,
           payload = jsonb_set(payload, '{progress,finishedAt}', to_jsonb($3::bigint))
         where kind = 'impact_run' and portal_id = $1 and id = $2 and status in ('pending', 'running')
         returning ${IMPACT_COLUMNS}`,
        [portalId, id, now],
      );
      return cancelled ?? store.get(portalId, id);
    },
    claim: async (now, holder, leaseMs) =>
      (await one(
        `update jobs set status = 'running', locked_by = $2, locked_until = $3, attempts = attempts + 1, updated_at = $1
         where id = (
           select j.id from jobs j
           where j.kind = 'impact_run'
             and (j.status = 'pending' or (j.status = 'running' and j.locked_until < $1))
             and exists (select 1 from installs i where i.portal_id = j.portal_id and i.status = 'active')
           order by j.id limit 1
           for update skip locked)
         returning ${IMPACT_COLUMNS}`,
        [now, holder, now + leaseMs],
      )) ?? undefined,
    async save(id, holder, progress, now, leaseMs) {
      const res = await db.query(
        `update jobs set payload = jsonb_set(payload, '{progress}', $3::jsonb), locked_until = $5, updated_at = $4
         where id = $1 and kind = 'impact_run' and status = 'running' and locked_by = $2`,
        [id, holder, JSON.stringify(progress), now, now + leaseMs],
      );
      return (res.rowCount ?? 0) > 0;
    },
    finish: (id, holder, progress, now) => finishAs('done', id, holder, progress, null, now),
    async release(id, holder, now) {
      const res = await db.query(
        `update jobs set status = 'pending', locked_by = null, locked_until = null, attempts = greatest(attempts - 1, 0), updated_at = $3
         where id = $1 and kind = 'impact_run' and status = 'running' and locked_by = $2`,
        [id, holder, now],
      );
      return (res.rowCount ?? 0) > 0;
    },
    fail: (id, holder, progress, error, now) => finishAs('failed', id, holder, progress, error, now),
  };
  return store;
}
