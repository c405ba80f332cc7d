import type { AppContext } from './context';
import { requireService } from './context';
import type { Plan, SlaClock } from './domain/types';
import { evaluateContact } from './domain/evaluate';
import { nextSlaCheckAt } from './domain/sla';
import { loadPortalSettings } from './settings/settings-store';
import { createGatewayFromContext, startPipeline, type Pipeline } from './worker/start-pipeline';
import { applyPlans, type ApplyPlansDeps } from './worker/apply-plans';
import { buildSnapshots } from './worker/build-snapshots';
import { createPortalDirectoryProvider, createEventParticipationProvider } from './worker/portal-directory';
import { createSlaScheduler, type SlaScheduler } from './sla/sla-scheduler';
import { createCardDataSource } from './card-api/create-card-data-source';
import { hasCardReads } from './hubspot/hubspot-gateway';
import { createCardEngine } from './card-api/create-card-engine';
import { createHandoffLogReader } from './card-api/handoff-log-reader';
import { createPortalSettingsStore } from './card-api/portal-settings-store';

/**
 * Connects the modules of one backend process: the gateway (the only HubSpot
 * client), the webhook pipeline (inbox worker + reconciliation), the SLA
 * scheduler and the card API all share one applier, so a toss-up from the card,
 * an automatic one and an SLA escalation are the same kind of plan applied the
 * same way. Requires the token service (credentials or sandbox) to be registered.
 */
export interface RunningServices {
  pipeline: Pipeline;
  sla: SlaScheduler;
  /** Applies plans for one portal (also used by the demo and the backfill CLI). */
  apply(portalId: string, plans: Plan[]): Promise<void>;
  stop(): Promise<void>;
}

export interface WireOptions {
  /** Inbox poll interval (default 1 s). */
  pollIntervalMs?: number;
  /** SLA sweep interval (default 60 s: product.md §6, "checked at least once a minute"). */
  slaIntervalMs?: number;
  /** Start the timers (default true). Tests and the demo drive ticks themselves. */
  startTimers?: boolean;
}

export async function wireServices(ctx: AppContext, options: WireOptions = {}): Promise<RunningServices> {
  const gateway = ctx.services.hubspot ?? createGatewayFromContext(ctx);
  ctx.services.hubspot = gateway;
  requireService(ctx, 'tokens');

  const slaNextCheckAt = async (clock: SlaClock, portalId: string) => nextSlaCheckAt(clock, await loadPortalSettings(ctx.db, portalId));
  const applyDeps: ApplyPlansDeps = { db: ctx.db, gateway, clock: ctx.clock, logger: ctx.logger, slaNextCheckAt };
  const apply = async (portalId: string, plans: Plan[]) => {
    if (plans.length > 0) await applyPlans(applyDeps, portalId, plans);
  };
  ctx.services.applyPlans = apply;

  const directory = createPortalDirectoryProvider({ gateway, db: ctx.db });
  const participations = createEventParticipationProvider({ gateway, now: () => ctx.clock.now() });
  ctx.services.snapshots = {
    load: (portalId, ids) => buildSnapshots({ db: ctx.db, gateway, participations }, portalId, ids),
    directory: (portalId) => directory.get(portalId),
  };

  if (!hasCardReads(gateway)) {
    throw new Error('tossup: the registered HubSpot gateway has no getUser/searchRecentlyModifiedContacts (the card API needs them); register one built by createHubSpotGateway');
  }
  // The card API (signed with ctx.config.hubspot.clientSecret; sandbox-mode.ts sets the sandbox's) shares the applier and the snapshot builder.
  ctx.services.cardApi = {
    engine: createCardEngine(),
    // The router applies one contact's plan at a time; the applier works per portal.
    applyPlans: (plans) => (plans[0] ? apply(plans[0].portalId, plans) : Promise.resolve()),
    settings: createPortalSettingsStore(ctx.db),
    handoffLog: createHandoffLogReader(ctx.db),
    data: createCardDataSource({ db: ctx.db, gateway, snapshots: ctx.services.snapshots }),
  };

  const pipeline = startPipeline(ctx, {
    evaluate: evaluateContact,
    loadSettings: loadPortalSettings,
    gateway,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    slaNextCheckAt,
  });
  // Manual mode: no polling; callers drive pipeline.worker.drainOnce() and sla.tick().
  if (options.startTimers === false) await pipeline.stop();

  const sla = createSlaScheduler({
    db: ctx.db,
    clock: ctx.clock,
    loadSnapshots: (portalId, ids) => buildSnapshots({ db: ctx.db, gateway, participations }, portalId, ids),
    loadDirectory: (portalId) => directory.get(portalId),
    applyPlans: apply,
    intervalMs: options.slaIntervalMs ?? 60_000,
    onError: (err, c) => ctx.logger.error({ err, ...c }, 'SLA sweep failed for a portal; its clocks are retried after the lease'),
  });
  if (options.startTimers !== false) sla.start();

  return {
    pipeline,
    sla,
    apply,
    async stop() {
      await sla.stop();
      await pipeline.stop();
    },
  };
}

declare module './context' {
  interface AppServices {
    applyPlans: (portalId: string, plans: Plan[]) => Promise<void>;
    snapshots: {
      load(portalId: string, contactIds: string[]): Promise<Map<string, import('./domain/types').ContactSnapshot>>;
      directory(portalId: string): Promise<import('./domain/types').PortalDirectory>;
    };
  }
}
