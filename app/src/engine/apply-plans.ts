import type { Clock } from '../platform/clock';
import type { Plan, SlaClock } from '../domain/types';
import { HubSpotApiError } from '../hubspot/hubspot-errors';
import type { HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import type { Logger } from '../platform/log';
import type { Database, Queryable } from '../storage/database';
import { appendHandoffLog } from '../storage/handoff-log-store';
import { incrementRoundRobinCount } from '../storage/round-robin-store';
import { claimRoutingSeat, releaseRoutingSeats } from '../storage/routing-assignment-store';
import { routingLoadSeeded, seedRoutingLoad } from '../storage/routing-load-seed-store';
import { appendLedgersOfContacts } from '../storage/signal-ledger-store';
import { deleteSlaClock, upsertSlaClock } from '../storage/sla-clock-store';
import { recordWrittenValues } from '../storage/written-values-store';

/**
 * Applies the core's plans for one portal. Shared by the inbox worker, the
 * engine's SLA scheduler and the card API (toss-up button), so every path writes
 * the same way:
 *
 * 1. tasks, then notes: batch creates with inline associations, exactly once per
 *    key (side_effects);
 * 2. contact property writes: batched (100 per call), absolute values, and noted
 *    in pipeline_written_values first so the echo webhook is skipped;
 * 3. one database transaction: ledger (on conflict do nothing), hand-off log (on
 *    conflict do nothing), SLA clocks, round-robin counters, and whatever the caller
 *    adds with `inTransaction` (the worker marks its events done there).
 *
 * A failure in 1–2 throws before 3, so nothing is recorded as done; the retry
 * re-evaluates and re-applies, and steps 1–2 are idempotent. Contacts HubSpot no
 * longer has (deleted meanwhile) get no database rows.
 */
export interface ApplyPlansDeps {
  db: Database;
  gateway: HubSpotGateway;
  clock: Clock;
  logger: Logger;
  /**
   * When the SLA scheduler should next look at a clock. Default: the earliest
   * pending deadline. Wire the engine's `nextSlaCheckAt(clock, settings)` here
   * (it includes reminders). Computed before the transaction opens, so it may read
   * the database (PGlite has one connection: no query may wait inside the transaction).
   */
  slaNextCheckAt?: (clock: SlaClock, portalId: string) => number | null | Promise<number | null>;
}

export interface ApplyPlansOptions {
  inTransaction?: (tx: Queryable) => Promise<void>;
}

export interface ApplyPlansResult {
  contactsUpdated: number;
  tasks: Map<string, string>;
  notes: Map<string, string>;
  missingContacts: string[];
}

export function defaultSlaNextCheckAt(clock: SlaClock): number | null {
  const due = [
    ...(clock.firstTouchStatus === 'pending' ? [clock.firstTouchDueAt] : []),
    ...(clock.statusUpdateStatus === 'pending' ? [clock.statusUpdateDueAt] : []),
  ];
  return due.length > 0 ? Math.min(...due) : null;
}

/** Portals whose load this process knows to be seeded, per database. */
const seededPortals = new WeakMap<object, Set<string>>();

/**
 * Before the first capped claim of a portal, the hand-offs already open in HubSpot
 * (made before tossup counted seats) get their seats, once per portal across processes
 * (routing-load-seed-store.ts). If that fills a rep this claim was counting on, the
 * claim throws RoutingCapacityError and the hand-off is re-planned with the seeded
 * load, as for any lost race. Why here: every hand-off — pipeline, card button, SLA
 * reassign, backfill — claims through this function. docs/decisions.md (issue 17).
 */
async function ensureRoutingLoadSeeded(deps: ApplyPlansDeps, portalId: string): Promise<void> {
  const known = seededPortals.get(deps.db) ?? new Set<string>();
  seededPortals.set(deps.db, known);
  if (known.has(portalId) || !deps.gateway.listOpenHandoffContacts) return;
  if (!(await routingLoadSeeded(deps.db, portalId))) {
    const open = await deps.gateway.listOpenHandoffContacts(portalId);
    const seats = await seedRoutingLoad(deps.db, portalId, open, deps.clock.now());
    if (seats !== null) deps.logger.info({ portalId, openHandoffs: open.length, seats }, 'routing load seeded from hand-offs already open in HubSpot');
  }
  known.add(portalId);
}

export async function applyPlans(deps: ApplyPlansDeps, portalId: string, plans: readonly Plan[], options: ApplyPlansOptions = {}): Promise<ApplyPlansResult> {
  const foreign = plans.find((p) => p.portalId !== portalId);
  if (foreign) throw new Error(`tossup: a plan for portal ${foreign.portalId} was passed to applyPlans for portal ${portalId}; apply plans per portal`);

  // Tasks and notes first, property writes second. The core derives a task from a
  // transition it sees in HubSpot's state (e.g. tossup_stage new → mql); once the
  // property write has landed, a retry re-reads `mql` and plans no task. So if the
  // writes went first and the run failed between the two steps (crash, database
  // outage, a 5xx on the create), the retry would silently lose the task. With the
  // creates first, a retry still sees the old state, plans the same keys, and the
  // idempotent create adopts what already exists. (Found by app/test/e2e/chaos.test.ts.)
  // Routing seats first (issue 17): a rep's cap is checked atomically here, before
  // anything is written to HubSpot, so a hand-off that lost the last seat to a
  // concurrent one throws (RoutingCapacityError) and is re-planned without side effects.
  if (plans.some((p) => p.routingClaim && p.routingClaim.cap !== null)) await ensureRoutingLoadSeeded(deps, portalId);
  for (const plan of plans) {
    if (plan.routingClaim) await claimRoutingSeat(deps.db, portalId, plan.contactId, plan.routingClaim, deps.clock.now());
  }
  const plannedTasks = plans.flatMap((p) => p.tasks);
  const plannedNotes = plans.flatMap((p) => p.notes);
  const tasks = plannedTasks.length > 0 ? await deps.gateway.createTasks(portalId, plannedTasks) : new Map<string, string>();
  const notes = plannedNotes.length > 0 ? await deps.gateway.createNotes(portalId, plannedNotes) : new Map<string, string>();

  await applyPropertySteps(deps, portalId, plans);
  const updates = plans.filter((p) => Object.keys(p.contactProperties).length > 0).map((p) => ({ id: p.contactId, properties: p.contactProperties }));
  let missing: string[] = [];
  if (updates.length > 0) {
    await recordWrittenValues(deps.db, portalId, updates, deps.clock.now());
    missing = (await deps.gateway.updateContacts(portalId, updates)).missing.map(String);
    if (missing.length > 0) deps.logger.info({ portalId, missing }, 'contacts vanished before the write (deleted or merged); their plans are dropped');
  }
  await applyDealProperties(deps, portalId, plans);
  const gone = new Set(missing);
  const live = plans.filter((p) => !gone.has(p.contactId));
  const nextCheck = deps.slaNextCheckAt ?? defaultSlaNextCheckAt;
  const clocks = new Map<string, { clock: SlaClock; nextCheckAt: number | null }>();
  for (const plan of live) {
    if (!plan.slaClock) continue;
    const clock: SlaClock = { ...plan.slaClock };
    // The hand-off task's id is only known after the create; the clock carries it.
    if (!clock.handoffTaskId) {
      const task = plan.tasks.find((t) => t.ownerId === clock.repOwnerId && tasks.has(t.key));
      if (task) clock.handoffTaskId = tasks.get(task.key)!;
    }
    clocks.set(plan.contactId, { clock, nextCheckAt: await nextCheck(clock, portalId) });
  }

  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await appendLedgersOfContacts(tx, portalId, live.map((p) => ({ contactId: p.contactId, entries: p.ledgerAppend })), now);
    for (const plan of live) {
      await appendHandoffLog(tx, portalId, plan.contactId, plan.handoffLog);
      if (plan.slaClock === null) {
        await deleteSlaClock(tx, portalId, plan.contactId);
      } else if (plan.slaClock !== undefined) {
        const { clock, nextCheckAt } = clocks.get(plan.contactId)!;
        await upsertSlaClock(tx, portalId, plan.contactId, clock, nextCheckAt, now);
      }
      // The hand-off is over (rejected, recycled, its deal closed): the rep's seat is free again.
      const ended = plan.contactProperties.tossup_stage === 'rejected' || plan.contactProperties.tossup_stage === 'recycled';
      if (plan.routingRelease || ended) await releaseRoutingSeats(tx, portalId, plan.contactId, now);
      if (plan.roundRobinAssignment) {
        await incrementRoundRobinCount(tx, portalId, plan.roundRobinAssignment.pool, plan.roundRobinAssignment.ownerId, now);
      }
    }
    if (options.inTransaction) await options.inTransaction(tx);
  });

  return { contactsUpdated: updates.length - missing.length, tasks, notes, missingContacts: missing };
}

/**
 * Writes that must land before the plan's main write, one request per step (the
 * lifecycle stage through MQL before SQL, so HubSpot records both stages' dates:
 * domain/handoff-report-fields.ts). Step i of every plan goes in one batch. A retry
 * repeats a step harmlessly: HubSpot ignores a lifecycle value that is not forward.
 */
async function applyPropertySteps(deps: ApplyPlansDeps, portalId: string, plans: readonly Plan[]): Promise<void> {
  const depth = Math.max(0, ...plans.map((p) => p.propertySteps?.length ?? 0));
  for (let i = 0; i < depth; i += 1) {
    const updates = plans.flatMap((p) => (p.propertySteps?.[i] ? [{ id: p.contactId, properties: p.propertySteps[i]! }] : []));
    if (updates.length === 0) continue;
    await recordWrittenValues(deps.db, portalId, updates, deps.clock.now());
    await deps.gateway.updateContacts(portalId, updates);
  }
}

/**
 * The hand-off's attribution on deals. Deal writes need crm.objects.deals.write, an
 * optional scope: without it (403) the contact side still lands and the deal side is
 * skipped, as with the other optional sources (docs/hubspot-platform.md §5.8).
 */
async function applyDealProperties(deps: ApplyPlansDeps, portalId: string, plans: readonly Plan[]): Promise<void> {
  const updates = plans.flatMap((p) => p.dealProperties ?? []);
  if (updates.length === 0 || !deps.gateway.updateDeals) return;
  try {
    await deps.gateway.updateDeals(portalId, updates);
  } catch (err) {
    if (!(err instanceof HubSpotApiError && err.status === 403)) throw err;
    deps.logger.warn({ portalId, deals: updates.length }, 'deal properties not written: the portal did not grant crm.objects.deals.write');
  }
}
