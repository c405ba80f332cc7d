import type { BaseDeps } from '../platform/base-deps';
import { settleWithin } from '../platform/settle-within';
import type { Database } from '../storage/database';
import type { HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import { createInboxWorker, type InboxWorker, type InboxWorkerOptions } from './inbox-worker';
import { createPortalDirectoryProvider } from '../engine/portal-directory';
import { createEventParticipationProvider, type EventParticipationProvider } from '../engine/event-participations';
import { createCachedCompanyReader, type ReadCompanies } from '../engine/company-cache';
import { createReconciler, type Reconciler, type ReconcilerOptions } from './reconcile-sweep';
import type { EvaluateFn, LoadSettingsFn } from './worker-types';
import type { ApplyPlansDeps } from '../engine/apply-plans';

/**
 * Starts the webhook pipeline in this process: the inbox worker (polled) and the
 * reconciliation sweep. Safe to run in several processes against one PostgreSQL
 * server: portals are leased, sweeps are claimed with SKIP LOCKED, and the API
 * budget is shared through the database.
 */
export interface PipelineDeps<S> {
  evaluate: EvaluateFn<S>;
  loadSettings: LoadSettingsFn<S>;
  /** The process's one gateway (composition/create-gateway.ts). */
  gateway: HubSpotGateway;
  pollIntervalMs?: number;
  /**
   * false = manual mode (tests, the sandbox CLI, TOSSUP_ROLE=web): no drain or reconciliation
   * loop runs, and the worker stays usable — callers drive worker.drainOnce(). Halting the
   * worker instead (stop()) would make every later drainOnce() a no-op.
   */
  startLoops?: boolean;
  reconcileIntervalMs?: number;
  /** Set false to skip Marketing Events participations (seminar scoring). */
  readEventParticipations?: boolean;
  /** The process's participations cache, shared with the card API and the SLA sweep (one cache to invalidate). */
  participations?: EventParticipationProvider;
  /** The process's company cache reader, shared with the card API and the SLA sweep (default: one on the pipeline's database). */
  readCompanies?: ReadCompanies;
  slaNextCheckAt?: ApplyPlansDeps['slaNextCheckAt'];
  worker?: Partial<InboxWorkerOptions>;
  reconciler?: Partial<ReconcilerOptions>;
}

export interface Pipeline {
  gateway: HubSpotGateway;
  worker: InboxWorker;
  reconciler: Reconciler;
  /**
   * Shutdown: no new tick, no new batch (InboxWorker.halt), no reconciliation sweep after
   * the current batch; the batch in progress gets `batchGraceMs` (default: unbounded) to
   * finish, else its portal lease is released (InboxWorker.abandon) and stop returns.
   */
  stop(batchGraceMs?: number): Promise<void>;
}

/** What the pipeline takes from the process (composition root). */
export interface PipelineRuntime extends BaseDeps {
  db: Database;
  /** Unique id of this backend process (portal leases, sweep claims). */
  instanceId: string;
}

export function startPipeline<S>(ctx: PipelineRuntime, deps: PipelineDeps<S>): Pipeline {
  const { gateway } = deps;
  const worker = createInboxWorker({
    db: ctx.db,
    clock: ctx.clock,
    logger: ctx.logger,
    metrics: ctx.metrics,
    gateway,
    instanceId: ctx.instanceId,
    evaluate: deps.evaluate,
    loadSettings: deps.loadSettings,
    directory: createPortalDirectoryProvider({ gateway, db: ctx.db, now: () => ctx.clock.now() }),
    ...(deps.readEventParticipations === false ? {} : { participations: deps.participations ?? createEventParticipationProvider({ gateway, db: ctx.db, now: () => ctx.clock.now() }) }),
    readCompanies: deps.readCompanies ?? createCachedCompanyReader(gateway, { db: ctx.db, now: () => ctx.clock.now() }),
    ...(ctx.config.hubspot.appId ? { appId: ctx.config.hubspot.appId } : {}),
    ...(deps.slaNextCheckAt ? { slaNextCheckAt: deps.slaNextCheckAt } : {}),
    ...(deps.worker ? { options: deps.worker } : {}),
  });
  const reconciler = createReconciler({
    db: ctx.db,
    clock: ctx.clock,
    logger: ctx.logger,
    gateway,
    instanceId: ctx.instanceId,
    options: { ...(deps.reconcileIntervalMs ? { intervalMs: deps.reconcileIntervalMs } : {}), ...deps.reconciler },
  });

  const pollMs = deps.pollIntervalMs ?? 1000;
  let stopped = false;
  // Two loops, not one tick doing both: a reconciliation sweep pages through CRM search
  // (its own 5 requests/s limit) and may take minutes on a portal that changed a lot; in
  // one tick it held the inbox drain back that long (the 100k burst: no event done for
  // ~110 s while the sweep listed 20,000 contacts; docs/decisions.md, issue 13).
  const loops = deps.startLoops !== false;
  const drainLoop = createLoop(
    () => worker.drainSettled(), // the coalescing window (inbox-worker.ts)
    loops ? pollMs : null,
    (err) => ctx.logger.error({ err }, 'inbox drain failed; retrying at the next poll'),
  );
  const reconcileLoop = createLoop(
    () => reconciler.runDue(),
    loops ? pollMs : null, // when nothing is due: two small queries per poll (reconcile-sweep.ts)
    (err) => ctx.logger.error({ err }, 'reconciliation failed; retrying at the next poll'),
  );

  return {
    gateway,
    worker,
    reconciler,
    async stop(batchGraceMs = Number.POSITIVE_INFINITY) {
      if (stopped) return;
      stopped = true;
      worker.halt();
      // A sweep cut short keeps its window: the job is retried after its lease (reconcile-sweep.ts).
      const [drained] = await Promise.all([settleWithin(drainLoop.stop(), batchGraceMs), settleWithin(reconcileLoop.stop(), batchGraceMs)]);
      if (!drained) await worker.abandon();
    },
  };
}

/** Runs `fn` again `intervalMs` after each run ends, until stopped; stop() resolves when the run in progress has. */
function createLoop(fn: () => Promise<unknown>, intervalMs: number | null, onError: (err: unknown) => void): { stop(): Promise<void> } {
  // null: the loop never runs (manual mode), stop() resolves at once.
  let stopped = intervalMs === null;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = fn()
        .then(() => undefined, onError)
        .finally(schedule);
    }, intervalMs ?? 0);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
