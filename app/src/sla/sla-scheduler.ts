/**
 * The SLA sweep (docs/product.md §6, principle 2): every minute, claim the clocks whose
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
 * creating a second escalation. (The claim SQL: app/src/storage/sla-clock-store.ts.)
 */
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { Clock } from '../platform/clock';
import { evaluateSla, nextSlaCheckAt } from '../domain/sla';
import type { ContactSnapshot, Plan, PortalDirectory, SlaClock } from '../domain/types';
import { loadPortalSettings } from '../storage/portal-settings-store';
import type { Database, Queryable } from '../storage/database';
import { claimDueSlaClocks, finishClaimedSlaClock, stopClaimedSlaClock, type ClaimedSlaClock } from '../storage/sla-clock-store';

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
  /** docs/product.md §6: checked at least once a minute. */
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

export function createSlaScheduler(deps: SlaSchedulerDeps): SlaScheduler {
  const intervalMs = deps.intervalMs ?? 60_000;
  const batchSize = deps.batchSize ?? 100;
  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const timer = deps.timer ?? { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>) };
  const loadSettings = deps.loadSettings ?? loadPortalSettings;
  let handle: unknown;
  let running: Promise<SlaTickResult> | undefined;

  async function sweep(): Promise<SlaTickResult> {
    const now = deps.clock.now();
    const rows = await claimDueSlaClocks(deps.db, now, batchSize, leaseMs);
    const byPortal = new Map<string, ClaimedSlaClock[]>();
    for (const r of rows) byPortal.set(r.portalId, [...(byPortal.get(r.portalId) ?? []), r]);
    const result: SlaTickResult = { claimed: rows.length, applied: 0, failedPortals: [] };
    for (const [portalId, portalRows] of byPortal) {
      try {
        const [settings, directory, snapshots] = await Promise.all([
          loadSettings(deps.db, portalId),
          deps.loadDirectory(portalId),
          deps.loadSnapshots(portalId, portalRows.map((r) => r.contactId)),
        ]);
        const work: { row: ClaimedSlaClock; clock: SlaClock; plan?: Plan }[] = [];
        for (const row of portalRows) {
          const clock = row.clock;
          const snapshot = snapshots.get(row.contactId);
          work.push({ row, clock, ...(snapshot ? { plan: evaluateSla(clock, { ...snapshot, slaClock: clock }, settings, directory, now) } : {}) });
        }
        const plans = work.flatMap((w) => (w.plan ? [w.plan] : []));
        if (plans.length > 0) await deps.applyPlans(portalId, plans);
        for (const w of work) {
          // A contact that no longer exists stops its clock (state kept for the audit trail).
          if (!w.plan) {
            await stopClaimedSlaClock(deps.db, w.row, now);
            continue;
          }
          // Stored only if the row is still our claim (the applier may have replaced the clock meanwhile).
          const next = w.plan.slaClock === undefined ? w.clock : w.plan.slaClock;
          await finishClaimedSlaClock(deps.db, w.row, next, next === null ? null : nextSlaCheckAt(next, settings), now);
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
