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
  /**
   * Shutdown, first step: no new portal is claimed and no new batch starts; the batch in
   * progress runs on (drainOnce returns after it). Irreversible: a halted worker is done.
   */
  halt(): void;
  /**
   * Shutdown, when the batch in progress did not finish in time: releases the lease of the
   * portal it holds, so another worker takes the portal at once instead of after leaseMs.
   * The unfinished batch cannot commit any more (its commit checks the lease:
   * portal-lease-store.ts assertPortalLease), so its events stay pending and are redone;
   * the HubSpot writes it already made are found again by their idempotency markers.
   */
  abandon(): Promise<void>;
  /** Updates the inbox gauges (pending/parked). */
  refreshGauges(): Promise<void>;
}

export function createInboxWorker<S>(deps: InboxWorkerDeps<S>): InboxWorker {
  const opts: InboxWorkerOptions = { ...DEFAULT_INBOX_WORKER_OPTIONS, ...deps.options };
  const { db, clock, logger, metrics, instanceId } = deps;
  const handleFailure = createFailureHandler(deps, opts);
  const runBatch = createBatchRunner(deps, opts, createBatchProcessor(deps, opts), handleFailure);
  const depth = metrics.gauge('tossup_inbox_depth', 'Inbox events by status', ['status']);

  let halted = false;
  /** The portal whose lease this worker holds right now (at most one: portals are drained in turn). */
  let holding: string | undefined;
  let heartbeat: { timer: NodeJS.Timeout; inFlight: Promise<unknown> } | undefined;

  /**
   * Renews the lease every leaseRenewMs while a portal is held: a batch may take longer
   * than leaseMs (HubSpot's budget, a busy database), and a lease that expires mid-batch
   * fails the batch's commit (assertPortalLease) — without renewal such a batch would be
   * redone forever.
   */
  const startHeartbeat = (portalId: string) => {
    let busy = false;
    const hb = {
      inFlight: Promise.resolve() as Promise<unknown>,
      timer: setInterval(() => {
        // At most one renewal in flight: on a pool, an older renewal finishing after the
        // release would take the lease back.
        if (busy) return;
        busy = true;
        hb.inFlight = claimPortalLease(db, portalId, instanceId, clock.now(), opts.leaseMs)
          .then(
            (held) => held || logger.warn({ portalId }, 'portal lease taken over by another worker; this batch will not commit'),
            (err: unknown) => logger.warn({ err, portalId }, 'could not renew portal lease'),
          )
          .finally(() => (busy = false));
      }, opts.leaseRenewMs),
    };
    hb.timer.unref();
    heartbeat = hb;
  };
  /** Stops renewing and waits for a renewal in flight, so none lands after the release. */
  const stopHeartbeat = async () => {
    const hb = heartbeat;
    heartbeat = undefined;
    if (!hb) return;
    clearInterval(hb.timer);
    await hb.inFlight;
  };
  const release = async (portalId: string) => {
    await stopHeartbeat();
    await releasePortalLease(db, portalId, instanceId, clock.now()).catch((err: unknown) => logger.warn({ err, portalId }, 'could not release portal lease'));
  };

  /** Drains `portals` in turn; with `receivedBy`, only events received up to then (the settled path). */
  async function drain(listPortals: () => Promise<string[]>, receivedBy: number | undefined): Promise<DrainSummary> {
    const summary: DrainSummary = { portals: 0, eventsDone: 0, eventsFailed: 0, eventsParked: 0 };
    if (halted) return summary;
    for (const portalId of await listPortals()) {
      if (halted) break;
      if (!(await claimPortalLease(db, portalId, instanceId, clock.now(), opts.leaseMs))) continue;
      holding = portalId;
      startHeartbeat(portalId);
      summary.portals++;
      try {
        for (let i = 0; i < opts.maxBatchesPerClaim && !halted; i++) {
          const rows = await loadPendingInboxBatch(db, portalId, clock.now(), opts.batchSize, receivedBy === undefined ? {} : { receivedBy });
          if (rows.length === 0) break;
          const r = await runBatch(portalId, rows);
          summary.eventsDone += r.done;
          summary.eventsFailed += r.failed;
          summary.eventsParked += r.parked;
          if (r.stop) break;
        }
      } finally {
        if (holding === portalId) {
          holding = undefined;
          await release(portalId);
        }
      }
    }
    if (!halted) await worker.refreshGauges().catch(() => undefined);
    return summary;
  }

  const worker: InboxWorker = {
    async drainOnce() {
      return drain(() => listDueInboxPortals(db, clock.now()), undefined);
    },
    async drainSettled() {
      const now = clock.now();
      if (opts.coalesceQuietMs <= 0) return drain(() => listDueInboxPortals(db, now), undefined);
      return drain(() => listSettledInboxPortals(db, now, { quietMs: opts.coalesceQuietMs, maxWaitMs: opts.coalesceMaxWaitMs }), now);
    },
    halt() {
      halted = true;
    },
    async abandon() {
      halted = true;
      const portalId = holding;
      holding = undefined;
      if (portalId) {
        logger.warn({ portalId }, 'shutdown: the batch in progress did not finish in time; portal lease released, its events stay pending for the next worker');
        await release(portalId);
      }
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
