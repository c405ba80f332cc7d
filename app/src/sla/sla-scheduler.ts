/**
 * The SLA sweep (product.md §6, principle 2): every minute, claim the clocks whose
 * `next_check_at` has come, evaluate them with the pure evaluateSla, hand the plans
 * to the pipeline's applier, and store when to look again. Deadlines live in the
 * database, not in timers, so a restart loses nothing and a breach is seen within
 * two minutes of its deadline even when no webhook arrives.
 *
 * Several processes may run this at once. A claim is a short transaction that picks
 * due rows with FOR UPDATE SKIP LOCKED and pushes their next_check_at one lease into
 * the future, so no other process sees them while this one works without holding a
 * lock across HubSpot calls. If the process dies mid-way the lease expires and the
 * clock is retried; the plan's deterministic task keys keep that retry from
 * creating a second escalation.
 */
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { Clock } from '../platform/clock';
import { evaluateSla, nextSlaCheckAt } from '../domain/sla';
import type { ContactSnapshot, Plan, PortalDirectory, SlaClock } from '../domain/types';
import { loadPortalSettings } from '../storage/settings-store';
import type { Database, Queryable } from '../storage/database';

export interface SlaSchedulerTimer {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface SlaSchedulerDeps {
  db: Database;
  clock: Clock;
  /** Snapshots with activities and hs_lead_status history (the pipeline's batch reader). Missing contacts were deleted. */
  loadSnapshots(portalId: string, contactIds: string[]): Promise<Map<string, ContactSnapshot>>;
  loadDirectory(portalId: string): Promise<PortalDirectory>;
  /** The pipeline's applier: idempotent by the plans' keys. */
  applyPlans(portalId: string, plans: Plan[]): Promise<void>;
  loadSettings?(db: Queryable, portalId: string): Promise<PortalSettings>;
  /** product.md §6: checked at least once a minute. */
  intervalMs?: number;
  batchSize?: number;
  /** How long a claim hides a clock from other processes; also the retry delay after a failure. */
  leaseMs?: number;
  timer?: SlaSchedulerTimer;
  onError?(err: unknown, context: { portalId?: string }): void;
}

export interface SlaTickResult {
  claimed: number;
  applied: number;
  failedPortals: string[];
}

export interface SlaScheduler {
  /** One sweep; resolves when every claimed clock was handled (or left to its lease). */
  tick(): Promise<SlaTickResult>;
  start(): void;
  stop(): Promise<void>;
}

interface ClaimedRow {
  portal_id: number;
  contact_id: number;
  state: SlaClock | string;
  lease: number;
}

export function createSlaScheduler(deps: SlaSchedulerDeps): SlaScheduler {
  const intervalMs = deps.intervalMs ?? 60_000;
  const batchSize = deps.batchSize ?? 100;
  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const timer = deps.timer ?? { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>) };
  const loadSettings = deps.loadSettings ?? loadPortalSettings;
  let handle: unknown;
  let running: Promise<SlaTickResult> | undefined;

  async function claim(now: number): Promise<ClaimedRow[]> {
    const lease = now + leaseMs;
    return deps.db.transaction(async (tx) => {
      const { rows } = await tx.query<Omit<ClaimedRow, 'lease'>>(
        `select portal_id, contact_id, state from sla_clocks
          where next_check_at is not null and next_check_at <= $1
          order by next_check_at, portal_id, contact_id
          limit $2
          for update skip locked`,
        [now, batchSize],
      );
      for (const r of rows) {
        await tx.query('update sla_clocks set next_check_at = $3, updated_at = $4 where portal_id = $1 and contact_id = $2', [r.portal_id, r.contact_id, lease, now]);
      }
      return rows.map((r) => ({ ...r, lease }));
    });
  }

  /** Stores the outcome only if the row is still our claim (the applier may have replaced the clock meanwhile). */
  async function finish(row: ClaimedRow, clock: SlaClock | null, settings: PortalSettings, now: number): Promise<void> {
    if (clock === null) {
      await deps.db.query('delete from sla_clocks where portal_id = $1 and contact_id = $2 and next_check_at = $3', [row.portal_id, row.contact_id, row.lease]);
      return;
    }
    await deps.db.query(
      'update sla_clocks set state = $3::jsonb, next_check_at = $4, updated_at = $5 where portal_id = $1 and contact_id = $2 and next_check_at = $6',
      [row.portal_id, row.contact_id, JSON.stringify(clock), nextSlaCheckAt(clock, settings), now, row.lease],
    );
  }

  async function sweep(): Promise<SlaTickResult> {
    const now = deps.clock.now();
    const rows = await claim(now);
    const byPortal = new Map<string, ClaimedRow[]>();
    for (const r of rows) {
      const key = String(r.portal_id);
      byPortal.set(key, [...(byPortal.get(key) ?? []), r]);
    }
    const result: SlaTickResult = { claimed: rows.length, applied: 0, failedPortals: [] };
    for (const [portalId, portalRows] of byPortal) {
      try {
        const [settings, directory, snapshots] = await Promise.all([
          loadSettings(deps.db, portalId),
          deps.loadDirectory(portalId),
          deps.loadSnapshots(portalId, portalRows.map((r) => String(r.contact_id))),
        ]);
        const work: { row: ClaimedRow; clock: SlaClock; plan?: Plan }[] = [];
        for (const row of portalRows) {
          const clock = typeof row.state === 'string' ? (JSON.parse(row.state) as SlaClock) : row.state;
          const snapshot = snapshots.get(String(row.contact_id));
          work.push({ row, clock, ...(snapshot ? { plan: evaluateSla(clock, { ...snapshot, slaClock: clock }, settings, directory, now) } : {}) });
        }
        const plans = work.flatMap((w) => (w.plan ? [w.plan] : []));
        if (plans.length > 0) await deps.applyPlans(portalId, plans);
        for (const w of work) {
          // A contact that no longer exists stops its clock (state kept for the audit trail).
          if (!w.plan) {
            await deps.db.query('update sla_clocks set next_check_at = null, updated_at = $3 where portal_id = $1 and contact_id = $2 and next_check_at = $4', [w.row.portal_id, w.row.contact_id, now, w.row.lease]);
            continue;
          }
          await finish(w.row, w.plan.slaClock === undefined ? w.clock : w.plan.slaClock, settings, now);
          result.applied++;
        }
      } catch (err) {
        // The lease makes these clocks due again later; the plans' keys make the retry safe.
        result.failedPortals.push(portalId);
        deps.onError?.(err, { portalId });
      }
    }
    return result;
  }

  const scheduler: SlaScheduler = {
    tick() {
      // Never two sweeps at once in one process (an interval firing while a slow sweep runs).
      if (!running) running = sweep().finally(() => (running = undefined));
      return running;
    },
    start() {
      if (handle !== undefined) return;
      handle = timer.setInterval(() => {
        scheduler.tick().catch((err: unknown) => deps.onError?.(err, {}));
      }, intervalMs);
    },
    async stop() {
      if (handle !== undefined) timer.clearInterval(handle);
      handle = undefined;
      await running?.catch(() => undefined);
    },
  };
  return scheduler;
}
