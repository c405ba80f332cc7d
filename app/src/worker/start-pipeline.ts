import type { AppContext } from '../context';
import { requireService } from '../context';
import { createDatabaseRateBudget } from '../hubspot/database-rate-budget';
import { createHubSpotGateway } from '../hubspot/hubspot-gateway';
import type { HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import { createMemoryRateBudget, DEFAULT_LANE_LIMITS, type LaneLimits } from '../hubspot/rate-budget';
import { createInboxWorker, type InboxWorker, type InboxWorkerOptions } from './inbox-worker';
import { createEventParticipationProvider, createPortalDirectoryProvider } from './portal-directory';
import { createReconciler, type Reconciler, type ReconcilerOptions } from './reconcile-sweep';
import type { EvaluateFn, LoadSettingsFn } from './worker-types';
import type { ApplyPlansDeps } from './apply-plans';

/**
 * Starts the webhook pipeline in this process: the inbox worker (polled) and the
 * reconciliation sweep. Safe to run in several processes against one PostgreSQL
 * server: portals are leased, sweeps are claimed with SKIP LOCKED, and the API
 * budget is shared through the database.
 */
export interface PipelineDeps<S> {
  evaluate: EvaluateFn<S>;
  loadSettings: LoadSettingsFn<S>;
  /** Default: a gateway built from ctx (and registered as ctx.services.hubspot). */
  gateway?: HubSpotGateway;
  pollIntervalMs?: number;
  reconcileIntervalMs?: number;
  /** Per-portal API budget; default 100 / 10 s and 5 search / s. */
  laneLimits?: LaneLimits;
  /** Set false to skip Marketing Events participations (seminar scoring). */
  readEventParticipations?: boolean;
  slaNextCheckAt?: ApplyPlansDeps['slaNextCheckAt'];
  worker?: Partial<InboxWorkerOptions>;
  reconciler?: Partial<ReconcilerOptions>;
}

export interface Pipeline {
  gateway: HubSpotGateway;
  worker: InboxWorker;
  reconciler: Reconciler;
  /** Stops polling and waits for the tick in progress. */
  stop(): Promise<void>;
}

/**
 * The gateway for this process. With a PostgreSQL server (possibly shared by several
 * processes) the budget lives in the database; with the embedded database there is
 * only one process, so memory is enough.
 */
export function createGatewayFromContext(ctx: AppContext, laneLimits: LaneLimits = DEFAULT_LANE_LIMITS): HubSpotGateway {
  return createHubSpotGateway({
    tokens: requireService(ctx, 'tokens'),
    apiBaseUrl: ctx.config.hubspot.apiBaseUrl,
    db: ctx.db,
    logger: ctx.logger,
    metrics: ctx.metrics,
    clock: ctx.clock,
    rateBudget: ctx.db.kind === 'postgres' ? createDatabaseRateBudget(ctx.db, laneLimits) : createMemoryRateBudget(laneLimits),
  });
}

export function startPipeline<S>(ctx: AppContext, deps: PipelineDeps<S>): Pipeline {
  const gateway = deps.gateway ?? ctx.services.hubspot ?? createGatewayFromContext(ctx, deps.laneLimits);
  ctx.services.hubspot ??= gateway;
  const worker = createInboxWorker({
    db: ctx.db,
    clock: ctx.clock,
    logger: ctx.logger,
    metrics: ctx.metrics,
    gateway,
    instanceId: ctx.instanceId,
    evaluate: deps.evaluate,
    loadSettings: deps.loadSettings,
    directory: createPortalDirectoryProvider({ gateway, db: ctx.db }),
    ...(deps.readEventParticipations === false ? {} : { participations: createEventParticipationProvider({ gateway, now: () => ctx.clock.now() }) }),
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
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();

  const tick = async () => {
    try {
      await worker.drainOnce();
      await reconciler.runDue();
    } catch (err) {
      ctx.logger.error({ err }, 'pipeline tick failed; retrying at the next poll');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = tick().finally(schedule);
    }, pollMs);
  };
  schedule();

  return {
    gateway,
    worker,
    reconciler,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
