import type { Clock } from '../platform/clock';
import type { HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import type { Logger } from '../platform/log';
import { InstallNotActiveError } from '../hubspot/token-service';
import type { Database } from '../storage/database';
import { RECONCILE_SUBSCRIPTION_TYPE, type WebhookEvent } from '../domain/webhook-event';
import { findContactsPendingInInbox, storeWebhookEvents } from '../storage/inbox-store';
import { loadLastWrittenAt } from '../storage/written-values-store';
import { claimReconcileJob, completeReconcileJob, ensureReconcileJobs, retryReconcileJob } from '../storage/job-store';

/**
 * Safety net for webhooks HubSpot never delivered (it gives up after 10 retries in
 * 24 h, and subscriptions can be paused): per active portal, a `jobs` row of kind
 * `reconcile` finds the contacts modified since the last sweep (CRM search on
 * hs_lastmodifieddate, 5 req/s, window split past 10,000 results) and stores one
 * `contact.reconcile` event per contact in webhook_inbox. The inbox worker then
 * treats them like delivered events: same coalescing, same evaluation, same
 * idempotent writes. A contact already handled costs one batch-read slot and no write.
 *
 * Two kinds of found contacts are not queued, so a sweep costs what was missed, not what
 * the app did (issue 19: in a 100k burst a sweep re-queued the 20,000 contacts the app
 * had just written): a contact whose last modification is the app's own write (its
 * hs_lastmodifieddate at most `ownWriteWindowMs` after the last value we recorded for it,
 * app/src/storage/written-values-store.ts; the values are recorded just before the
 * update, which may wait for the rate limiter), and a contact with an event still
 * pending in the inbox (the worker reads it fresh anyway).
 *
 * The job is claimed with FOR UPDATE SKIP LOCKED plus a lease (locked_until), so
 * with several processes each sweep runs once; a crashed sweep is picked up again
 * when its lease expires (app/src/storage/job-store.ts). The window overlaps the previous one by `overlapMs`
 * because search results lag writes by a few seconds
 * (https://developers.hubspot.com/docs/api/crm/search#limitations).
 */
export interface ReconcilerOptions {
  intervalMs: number;
  overlapMs: number;
  leaseMs: number;
  /** First sweep of a new portal looks back this far. */
  initialLookbackMs: number;
  /** A modification this long after our last recorded write is taken as that write. */
  ownWriteWindowMs: number;
}

export const DEFAULT_RECONCILER_OPTIONS: ReconcilerOptions = {
  intervalMs: 15 * 60_000,
  overlapMs: 2 * 60_000,
  leaseMs: 10 * 60_000,
  initialLookbackMs: 60 * 60_000,
  ownWriteWindowMs: 2 * 60_000,
};

export interface Reconciler {
  /** Creates missing jobs for active installs, then runs every due sweep this process can claim. */
  runDue(): Promise<{ swept: number; contacts: number }>;
}

export function createReconciler(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  gateway: HubSpotGateway;
  instanceId: string;
  options?: Partial<ReconcilerOptions>;
}): Reconciler {
  const opts = { ...DEFAULT_RECONCILER_OPTIONS, ...deps.options };
  const { db, clock, logger, gateway, instanceId } = deps;

  return {
    async runDue() {
      let swept = 0;
      let contacts = 0;
      const ensuredAt = clock.now();
      await ensureReconcileJobs(db, ensuredAt, ensuredAt - opts.initialLookbackMs);
      for (;;) {
        const startedAt = clock.now();
        const job = await claimReconcileJob(db, startedAt, instanceId, opts.leaseMs);
        if (!job) break;
        const portalId = job.portalId;
        const since = (job.sinceMs ?? startedAt - opts.initialLookbackMs) - opts.overlapMs;
        try {
          const modified = await gateway.listContactsModifiedBetween(portalId, since, startedAt);
          const ids = modified.map((m) => m.id);
          const writtenAt = await loadLastWrittenAt(db, portalId, ids);
          const pending = await findContactsPendingInInbox(db, portalId, ids);
          const missed = modified.filter((m) => !pending.has(m.id) && !isOwnLastWrite(m.lastModifiedAt, writtenAt.get(m.id), opts.ownWriteWindowMs));
          const events: WebhookEvent[] = missed.map((m) => ({
            portalId,
            occurredAt: m.lastModifiedAt,
            subscriptionType: RECONCILE_SUBSCRIPTION_TYPE,
            objectId: m.id,
          }));
          const stored = await storeWebhookEvents(db, events, clock.now());
          await completeReconcileJob(db, job, instanceId, startedAt + opts.intervalMs, startedAt, clock.now());
          swept++;
          contacts += modified.length;
          logger.info({ portalId, modified: modified.length, skipped: modified.length - missed.length, alreadyPending: pending.size, queued: stored.stored }, 'reconciliation sweep done');
        } catch (err) {
          // A periodic sweep is never parked: it is retried later, its window kept.
          const pause = err instanceof InstallNotActiveError ? opts.intervalMs : Math.min(opts.intervalMs, 60_000);
          await retryReconcileJob(db, job, instanceId, clock.now() + pause, err instanceof Error ? err.message : String(err), clock.now());
          logger.warn({ portalId, err }, 'reconciliation sweep failed; retrying later');
        }
      }
      return { swept, contacts };
    },
  };
}

/** HubSpot stamps our write at or shortly after we recorded it; clock skew may put it slightly before. */
function isOwnLastWrite(lastModifiedAt: number, writtenAt: number | undefined, windowMs: number): boolean {
  return writtenAt !== undefined && lastModifiedAt <= writtenAt + windowMs;
}
