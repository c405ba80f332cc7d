import type { Plan } from '../domain/types';
import { applyPlans, type ApplyPlansDeps } from '../engine/apply-plans';
import { buildSnapshots } from '../engine/build-snapshots';
import { withOpenDeals } from '../engine/open-deals';
import { invalidateCachedCompanies } from '../storage/company-cache-store';
import { markInboxEventsDone, type InboxRow } from '../storage/inbox-store';
import { assertPortalLease } from '../storage/portal-lease-store';
import { applyContactLifecycle } from './apply-contact-lifecycle';
import { parseBatch } from './inbox-batch';
import type { InboxWorkerDeps, InboxWorkerOptions } from './inbox-worker-options';
import { resolveContacts } from './resolve-contacts';
import { skipOwnWrites } from './skip-own-writes';

/**
 * One claimed batch of one portal, start to finish:
 *
 *   events → skip our own writes (no API call) → deletions/merges (database only)
 *   → company events invalidate the company cache
 *   → contacts touched (engagements and companies resolved through batch
 *   association reads; association changes name their contact side) → one snapshot per contact (all its events coalesce into one
 *   evaluation) → evaluate (pure core) → applyPlans → events done, in the same
 *   transaction as the plan's database writes, under the portal lease.
 *
 * Throws when anything fails; handle-batch-failure.ts decides what happens to the rows.
 */
export type ProcessBatch = (portalId: string, rows: InboxRow[]) => Promise<void>;

export function createBatchProcessor<S>(deps: InboxWorkerDeps<S>, opts: InboxWorkerOptions): ProcessBatch {
  const { db, clock, logger, metrics, gateway, instanceId } = deps;
  const processed = metrics.counter('tossup_inbox_processed_total', 'Inbox events processed', ['outcome']);
  const applier: ApplyPlansDeps = { db, gateway, clock, logger, ...(deps.slaNextCheckAt ? { slaNextCheckAt: deps.slaNextCheckAt } : {}) };

  /** One evaluation per contact, whatever the number of its events. */
  async function planContacts(portalId: string, contactIds: Set<string>, observations: Awaited<ReturnType<typeof resolveContacts>>): Promise<Plan[]> {
    const now = clock.now();
    if (contactIds.size === 0) return [];
    const settings = await deps.loadSettings(db, portalId);
    const directory = await deps.directory.get(portalId);
    const snapshots = await buildSnapshots(
      { db, gateway, ...(deps.participations ? { participations: deps.participations } : {}), ...(deps.readCompanies ? { readCompanies: deps.readCompanies } : {}) },
      portalId,
      [...contactIds],
      observations,
    );
    const plans = [...snapshots.values()].map((s) => deps.evaluate(s, settings, directory, now));
    return withOpenDeals(gateway, portalId, plans, snapshots, (s) => deps.evaluate(s, settings, directory, now));
  }

  return async (portalId, rows) => {
    const { relevant, skipped } = await skipOwnWrites(db, portalId, parseBatch(rows), deps.appId);
    const { deleted, contactIds } = await applyContactLifecycle(db, portalId, relevant, rows);
    // A company changed: its cached copy goes before any snapshot reads it (engine/company-cache.ts).
    await invalidateCachedCompanies(db, portalId, [...new Set(relevant.filter((p) => p.desc!.kind === 'company').map((p) => p.desc!.objectId!))], clock.now());
    const observations = await resolveContacts(gateway, portalId, relevant, contactIds, deleted);
    const plans = await planContacts(portalId, contactIds, observations);

    await applyPlans(applier, portalId, plans, {
      inTransaction: async (tx) => {
        await assertPortalLease(tx, portalId, instanceId, clock.now(), opts.leaseMs);
        await markInboxEventsDone(tx, portalId, rows.map((r) => r.id), clock.now());
      },
    });
    processed.inc({ outcome: 'done' }, rows.length - skipped);
    if (skipped > 0) processed.inc({ outcome: 'skipped' }, skipped);
    logger.debug({ portalId, events: rows.length, skipped, contacts: contactIds.size, plans: plans.length }, 'inbox batch applied');
  };
}
