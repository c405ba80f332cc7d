/**
 * Backfill: re-evaluate every contact of a portal, e.g. after an admin changed the
 * scoring rules or the MQL / SQL definitions, so contacts that no webhook touches
 * still reach the stage the new rules give them.
 *
 * Same engine, same reads, same writes as the webhook pipeline: contacts are listed
 * through the gateway (CRM search on hs_lastmodifieddate from the epoch to now, pages
 * followed and the window split past 10,000 results), snapshots are built in batches
 * of 100 by the pipeline's batch reader, the pure core evaluates them, and plans go
 * through the shared applier — so every call waits for the portal's limiter, every
 * task and note is created once per key, and running it twice changes nothing.
 *
 * A dry run evaluates exactly the same way and only counts what would change.
 */
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { Clock } from '../platform/clock';
import { evaluateContact } from '../domain/evaluate';
import type { ContactSnapshot, Plan, PortalDirectory } from '../domain/types';
import type { HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import { chunk } from '../hubspot/chunk';
import { withOpenDeals } from '../engine/open-deals';
import { reportFieldsFromLog, type LoggedAction } from '../domain/report-fields-from-log';

/** HubSpot batch reads and writes take at most 100 inputs (https://developers.hubspot.com/docs/api/crm/objects#batch). */
export const BACKFILL_BATCH_SIZE = 100;

export interface BackfillDeps {
  gateway: HubSpotGateway;
  /** The pipeline's snapshot builder (RunningServices.snapshots.load). */
  loadSnapshots(portalId: string, contactIds: string[]): Promise<Map<string, ContactSnapshot>>;
  /** Owners, lifecycle stages, time zone and fresh round-robin counts (RunningServices.snapshots.directory). */
  loadDirectory(portalId: string): Promise<PortalDirectory>;
  loadSettings(portalId: string): Promise<PortalSettings>;
  /** The shared applier (RunningServices.apply). */
  applyPlans(portalId: string, plans: Plan[]): Promise<void>;
  clock: Clock;
  evaluate?: typeof evaluateContact;
  /** The hand-off log of these contacts, with details (fills the report fields of past hand-offs). */
  loadHandoffLog?(portalId: string, contactIds: string[]): Promise<(LoggedAction & { contactId: string })[]>;
}

export interface BackfillProgress {
  done: number;
  total: number;
}

export interface BackfillOptions {
  dryRun: boolean;
  batchSize?: number;
  onProgress?(progress: BackfillProgress): void;
}

export interface BackfillSummary {
  portalId: string;
  dryRun: boolean;
  /** Contacts the search listed. */
  total: number;
  /** Contacts evaluated (listed ones HubSpot no longer had when read are not). */
  evaluated: number;
  /** Contacts whose properties change (or would). */
  contactsChanged: number;
  tasks: number;
  notes: number;
  /** `field from→to` → contacts, e.g. `tossup_stage new→mql`. */
  transitions: Record<string, number>;
  /** Report fields (issue 14) filled from the hand-off log → contacts, e.g. `tossup_handoff_count` → 12. */
  reportFields: Record<string, number>;
}

export function transitionKey(t: { field: string; from: string; to: string }): string {
  return `${t.field} ${t.from || '(empty)'}→${t.to}`;
}

function hasWork(plan: Plan): boolean {
  return (
    Object.keys(plan.contactProperties).length > 0 ||
    plan.tasks.length > 0 ||
    plan.notes.length > 0 ||
    plan.ledgerAppend.length > 0 ||
    plan.handoffLog.length > 0 ||
    plan.slaClock !== undefined ||
    plan.roundRobinAssignment !== undefined
  );
}

export async function runBackfill(deps: BackfillDeps, portalId: string, options: BackfillOptions): Promise<BackfillSummary> {
  const evaluate = deps.evaluate ?? evaluateContact;
  const batchSize = options.batchSize ?? BACKFILL_BATCH_SIZE;
  const settings = await deps.loadSettings(portalId);
  // Everything modified up to now: every contact of the portal (hs_lastmodifieddate is always set).
  const listed = await deps.gateway.listContactsModifiedBetween(portalId, 0, deps.clock.now() + 1);
  const ids = [...new Set(listed.map((c) => c.id))];
  const summary: BackfillSummary = { portalId, dryRun: options.dryRun, total: ids.length, evaluated: 0, contactsChanged: 0, tasks: 0, notes: 0, transitions: {}, reportFields: {} };
  options.onProgress?.({ done: 0, total: ids.length });

  let done = 0;
  for (const batch of chunk(ids, batchSize)) {
    // Per batch: round-robin counts must include the assignments the previous batch made.
    const directory = await deps.loadDirectory(portalId);
    const snapshots = await deps.loadSnapshots(portalId, batch);
    const now = deps.clock.now();
    let plans = [...snapshots.values()].map((s) => evaluate(s, settings, directory, now));
    plans = await withOpenDeals(deps.gateway, portalId, plans, snapshots, (s) => evaluate(s, settings, directory, now));
    if (deps.loadHandoffLog) fillReportFields(plans, snapshots, await deps.loadHandoffLog(portalId, [...snapshots.keys()]), settings, summary);

    for (const plan of plans) {
      if (Object.keys(plan.contactProperties).length > 0) summary.contactsChanged++;
      summary.tasks += plan.tasks.length;
      summary.notes += plan.notes.length;
      for (const t of plan.transitions) {
        const key = transitionKey(t);
        summary.transitions[key] = (summary.transitions[key] ?? 0) + 1;
      }
    }
    summary.evaluated += snapshots.size;
    if (!options.dryRun) {
      const work = plans.filter(hasWork);
      if (work.length > 0) await deps.applyPlans(portalId, work);
    }
    done += batch.length;
    options.onProgress?.({ done, total: ids.length });
  }
  return summary;
}

/** Past hand-offs get the report fields their log supports; what the evaluation writes itself wins. */
function fillReportFields(
  plans: Plan[],
  snapshots: ReadonlyMap<string, ContactSnapshot>,
  log: readonly (LoggedAction & { contactId: string })[],
  settings: PortalSettings,
  summary: BackfillSummary,
): void {
  for (const plan of plans) {
    const snapshot = snapshots.get(plan.contactId);
    const entries = log.filter((e) => e.contactId === plan.contactId);
    if (!snapshot || entries.length === 0) continue;
    const fields = reportFieldsFromLog({ ...snapshot.contact.properties, ...plan.contactProperties }, entries, settings);
    for (const [name, value] of Object.entries(fields)) {
      if (name in plan.contactProperties) continue;
      plan.contactProperties[name] = value;
      summary.reportFields[name] = (summary.reportFields[name] ?? 0) + 1;
    }
  }
}

/**
 * As in the inbox worker: deals are read only for the few contacts whose plan creates
 * a task or a note (hand-offs), which are then evaluated again with their open deal so
 * the rep's task is associated with it too.
 */
