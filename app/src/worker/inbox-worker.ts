import { countInboxByStatus, listDueInboxPortals, listSettledInboxPortals, loadPendingInboxBatch } from '../storage/inbox-store';
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
 *
 * Two ways in. The poll timer (start-pipeline.ts) calls `drainSettled`: a portal is
 * read only once its burst paused for `coalesceQuietMs` or its oldest event waited
 * `coalesceMaxWaitMs`, both on the injected clock, and only the events received
 * before that moment are taken, so a hot contact's late events join its next
 * evaluation instead of causing a re-read (docs/decisions.md, "Issue 19"). Callers
 * that drive the worker by hand (tests, the sandbox CLI, the demo) call `drainOnce`,
 * which flushes everything due at once: nothing waits on a clock nobody moves.
 */
export interface DrainSummary {
  portals: number;
  eventsDone: number;
  eventsFailed: number;
  eventsParked: number;
}

export interface InboxWorker {
  /** One pass over every portal with due events, without waiting for the coalescing window (a flush). */
  drainOnce(): Promise<DrainSummary>;
  /** One pass over the portals whose due events have settled (the coalescing window); the poll timer's path. */
  drainSettled(): Promise<DrainSummary>;
  /** Updates the inbox gauges (pending/parked). */
  refreshGauges(): Promise<void>;
}

export function createInboxWorker<S>(deps: InboxWorkerDeps<S>): InboxWorker {
  const opts: InboxWorkerOptions = { ...DEFAULT_INBOX_WORKER_OPTIONS, ...deps.options };
  const { db, clock, logger, metrics, instanceId } = deps;
  const handleFailure = createFailureHandler(deps, opts);
  const runBatch = createBatchRunner(deps, opts, createBatchProcessor(deps, opts), handleFailure);
  const depth = metrics.gauge('tossup_inbox_depth', 'Inbox events by status', ['status']);

  async function drain(portals: string[], receivedBy: number | undefined): Promise<DrainSummary> {
    const summary: DrainSummary = { portals: 0, eventsDone: 0, eventsFailed: 0, eventsParked: 0 };
    for (const portalId of portals) {
      if (!(await claimPortalLease(db, portalId, instanceId, clock.now(), opts.leaseMs))) continue;
      summary.portals++;
      try {
        for (let i = 0; i < opts.maxBatchesPerClaim; i++) {
          const rows = await loadPendingInboxBatch(db, portalId, clock.now(), opts.batchSize, receivedBy === undefined ? {} : { receivedBy });
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
  }

  const worker: InboxWorker = {
    async drainOnce() {
      return drain(await listDueInboxPortals(db, clock.now()), undefined);
    },
    async drainSettled() {
      const now = clock.now();
      if (opts.coalesceQuietMs <= 0) return drain(await listDueInboxPortals(db, now), undefined);
      return drain(await listSettledInboxPortals(db, now, { quietMs: opts.coalesceQuietMs, maxWaitMs: opts.coalesceMaxWaitMs }), now);
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
