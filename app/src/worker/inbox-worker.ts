import { countInboxByStatus, listDueInboxPortals, loadPendingInboxBatch } from '../storage/inbox-store';
import { claimPortalLease, releasePortalLease } from '../storage/portal-lease-store';
import { createFailureHandler } from './handle-batch-failure';
import { DEFAULT_INBOX_WORKER_OPTIONS, type InboxWorkerDeps, type InboxWorkerOptions } from './inbox-worker-options';
import { createBatchProcessor } from './process-batch';
import { createBatchRunner } from './isolate-poison';

export { DEFAULT_INBOX_WORKER_OPTIONS, type InboxWorkerDeps, type InboxWorkerOptions } from './inbox-worker-options';

/**
 * Drains webhook_inbox portal by portal: claims each portal with due events under a
 * lease (one instance per portal at a time), then takes up to `maxBatchesPerClaim`
 * batches of `batchSize` events, so one busy portal does not starve the others.
 * Each batch is processed by process-batch.ts (own writes skipped, contacts resolved
 * and coalesced, one evaluation per contact, plans applied, events done in one
 * transaction); a batch HubSpot refuses for some contacts is split until only they
 * park (isolate-poison.ts); any other failure goes to handle-batch-failure.ts
 * (backoff, parking, waiting for an install) and ends the portal's turn.
 */
export interface DrainSummary {
  portals: number;
  eventsDone: number;
  eventsFailed: number;
  eventsParked: number;
}

export interface InboxWorker {
  /** One pass over every portal with due events. */
  drainOnce(): Promise<DrainSummary>;
  /** Updates the inbox gauges (pending/parked). */
  refreshGauges(): Promise<void>;
}

export function createInboxWorker<S>(deps: InboxWorkerDeps<S>): InboxWorker {
  const opts: InboxWorkerOptions = { ...DEFAULT_INBOX_WORKER_OPTIONS, ...deps.options };
  const { db, clock, logger, metrics, instanceId } = deps;
  const handleFailure = createFailureHandler(deps, opts);
  const runBatch = createBatchRunner(deps, opts, createBatchProcessor(deps, opts), handleFailure);
  const depth = metrics.gauge('tossup_inbox_depth', 'Inbox events by status', ['status']);

  const worker: InboxWorker = {
    async drainOnce() {
      const summary: DrainSummary = { portals: 0, eventsDone: 0, eventsFailed: 0, eventsParked: 0 };
      for (const portalId of await listDueInboxPortals(db, clock.now())) {
        if (!(await claimPortalLease(db, portalId, instanceId, clock.now(), opts.leaseMs))) continue;
        summary.portals++;
        try {
          for (let i = 0; i < opts.maxBatchesPerClaim; i++) {
            const rows = await loadPendingInboxBatch(db, portalId, clock.now(), opts.batchSize);
            if (rows.length === 0) break;
            const r = await runBatch(portalId, rows);
            summary.eventsDone += r.done;
            summary.eventsFailed += r.failed;
            summary.eventsParked += r.parked;
            if (r.stop) break;
          }
        } finally {
          await releasePortalLease(db, portalId, instanceId, clock.now()).catch((err: unknown) => logger.warn({ err, portalId }, 'could not release portal lease'));
        }
      }
      await worker.refreshGauges().catch(() => undefined);
      return summary;
    },
    async refreshGauges() {
      const counts = await countInboxByStatus(db);
      depth.set({ status: 'pending' }, 0);
      depth.set({ status: 'parked' }, 0);
      for (const r of counts) depth.set({ status: r.status }, r.n);
    },
  };
  return worker;
}
