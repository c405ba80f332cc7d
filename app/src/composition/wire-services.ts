import { listHandoffLogWithDetails } from '../storage/handoff-log-store';
import { addOutOfOffice, deleteOutOfOffice, listOutOfOffice } from '../storage/routing-out-of-office-store';
import { settleWithin } from '../platform/settle-within';
import type { ContactSnapshot, Plan, PortalDirectory, SlaClock } from '../domain/types';
import { evaluateContact } from '../domain/evaluate';
import { nextSlaCheckAt } from '../domain/sla';
import { createPortalSettingsStore, loadPortalSettings } from '../storage/portal-settings-store';
import { createSettingsVersionsStore } from '../storage/settings-versions-store';
import { createHandoffLogReader } from '../storage/handoff-log-store';
import type { TokenService } from '../hubspot/token-service';
import { applyPlans, type ApplyPlansDeps } from '../engine/apply-plans';
import { buildSnapshots } from '../engine/build-snapshots';
import { withOpenDeals } from '../engine/open-deals';
import { createCachedCompanyReader } from '../engine/company-cache';
import { createPortalDirectoryProvider } from '../engine/portal-directory';
import { createEventParticipationProvider, type EventParticipationProvider } from '../engine/event-participations';
import { startPipeline, type Pipeline, type PipelineRuntime } from '../worker/start-pipeline';
import type { InboxWorkerOptions } from '../worker/inbox-worker-options';
import { createRetentionJob } from '../worker/retention-job';
import { createImpactRunner, type ImpactRunner } from '../worker/impact-runner';
import { createImpactRunStore } from '../storage/job-store';
import { retentionOptionsFromEnv } from '../worker/retention-options';
import { createSlaScheduler, type SlaScheduler } from '../sla/sla-scheduler';
import { createCardDataSource } from '../card-api/create-card-data-source';
import { createCardEngine } from '../card-api/create-card-engine';
import type { CardApiDeps } from '../card-api/card-api-deps';
import { createRejectReasonSync, type RejectReasonSync } from '../engine/sync-reject-reasons';
import { createRejectReasonSyncStore } from '../storage/reject-reason-sync-store';
import { createProcessGateway, type ProcessGateway, type ProcessGatewayOptions } from './create-gateway';

/**
 * Connects the modules of one backend process: the gateway (the only HubSpot
 * client), the webhook pipeline (inbox worker + reconciliation), the SLA
 * scheduler and the card API all share one applier, so a toss-up from the card,
 * an automatic one and an SLA escalation are the same kind of plan applied the
 * same way. Every dependency is passed to a constructor here; nothing is looked up
 * at run time.
 */
export interface SnapshotSource {
  load(portalId: string, contactIds: string[]): Promise<Map<string, ContactSnapshot>>;
  directory(portalId: string): Promise<PortalDirectory>;
}

export interface RunningServices {
  gateway: ProcessGateway;
  pipeline: Pipeline;
  sla: SlaScheduler;
  /** The settings page's full-portal impact runs (issue 16): reads only, in the worker role. */
  impactRuns: ImpactRunner;
  snapshots: SnapshotSource;
  /** Marketing Events participations, stored per contact and refreshed by changed event (sandbox mode asks for a refresh when an attendance changes). */
  participations: EventParticipationProvider;
  cardApi: CardApiDeps;
  /** Keeps tossup_reject_reason_code's options in step with each portal's reasons (publish, install, start-up). */
  rejectReasons: RejectReasonSync;
  /** Applies plans for one portal (also used by the demo and the backfill CLI). */
  apply(portalId: string, plans: Plan[]): Promise<void>;
  /** Evaluates contacts now, as a drain would (sandbox mode: a seminar attendance, for which HubSpot sends no webhook). */
  reevaluate(portalId: string, contactIds: string[]): Promise<void>;
  /**
   * Stops every background job at once: no new batch, SLA sweep or retention chunk starts;
   * work in progress gets `batchGraceMs` (default: unbounded), after which the inbox
   * batch's portal lease is released and stop returns (start-pipeline.ts).
   */
  stop(batchGraceMs?: number): Promise<void>;
}

export interface WireOptions {
  /** Inbox poll interval (default 1 s). */
  pollIntervalMs?: number;
  /** SLA sweep interval (default 60 s: docs/product.md §6, "checked at least once a minute"). */
  slaIntervalMs?: number;
  /** Start the timers (default true). Tests and the demo drive ticks themselves. */
  startTimers?: boolean;
  /** How the process's gateway is built (lane limits, a scaled sleep for the benchmark). */
  gateway?: ProcessGatewayOptions;
  /** Inbox worker tuning (the benchmark's `--coalesce-max-wait`); defaults: DEFAULT_INBOX_WORKER_OPTIONS. */
  worker?: Partial<InboxWorkerOptions>;
}

export async function wireServices(rt: PipelineRuntime, tokens: TokenService, options: WireOptions = {}): Promise<RunningServices> {
  const gateway = createProcessGateway(rt, tokens, options.gateway);

  const slaNextCheckAt = async (clock: SlaClock, portalId: string) => nextSlaCheckAt(clock, await loadPortalSettings(rt.db, portalId));
  const applyDeps: ApplyPlansDeps = { db: rt.db, gateway, clock: rt.clock, logger: rt.logger, slaNextCheckAt };
  const apply = async (portalId: string, plans: Plan[]) => {
    if (plans.length > 0) await applyPlans(applyDeps, portalId, plans);
  };

  const directory = createPortalDirectoryProvider({ gateway, db: rt.db, now: () => rt.clock.now() });
  const participations = createEventParticipationProvider({ gateway, db: rt.db, now: () => rt.clock.now() });
  const readCompanies = createCachedCompanyReader(gateway, { db: rt.db, now: () => rt.clock.now() });
  const snapshots: SnapshotSource = {
    load: (portalId, ids) => buildSnapshots({ db: rt.db, gateway, participations, readCompanies }, portalId, ids),
    directory: (portalId) => directory.get(portalId),
  };

  const rejectReasons = createRejectReasonSync({ gateway, store: createRejectReasonSyncStore(rt.db), metrics: rt.metrics, logger: rt.logger, clock: rt.clock });

  // The card API (signed with config.hubspot.clientSecret; sandbox mode sets the sandbox's) shares the applier and the snapshot builder.
  const cardApi: CardApiDeps = {
    engine: createCardEngine(),
    // The router applies one contact's plan at a time; the applier works per portal.
    applyPlans: (plans) => (plans[0] ? apply(plans[0].portalId, plans) : Promise.resolve()),
    settings: createPortalSettingsStore(rt.db),
    settingsVersions: createSettingsVersionsStore(rt.db),
    routingLog: { list: (p, c) => listHandoffLogWithDetails(rt.db, p, [c]) },
    outOfOffice: { list: (p, from, o) => listOutOfOffice(rt.db, p, from, o), add: (p, r, by, now) => addOutOfOffice(rt.db, p, r, by, now), remove: (p, id, o) => deleteOutOfOffice(rt.db, p, id, o) },
    handoffLog: createHandoffLogReader(rt.db),
    rejectReasons,
    impactRuns: createImpactRunStore(rt.db),
    data: createCardDataSource({ db: rt.db, gateway, snapshots }),
  };

  // Manual mode: no polling; callers drive pipeline.worker.drainOnce() and sla.tick().
  // TOSSUP_ROLE=web runs no background job either: the worker role does (README, "Deployment").
  // Every worker-role job (inbox, reconciliation, SLA sweep, retention) starts only when runsJobs is true.
  const runsJobs = options.startTimers !== false && rt.config.role !== 'web';
  const pipeline = startPipeline(rt, {
    startLoops: runsJobs,
    evaluate: evaluateContact,
    loadSettings: loadPortalSettings,
    gateway,
    participations,
    readCompanies,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    slaNextCheckAt,
    ...(options.worker ? { worker: options.worker } : {}),
  });

  const sla = createSlaScheduler({
    db: rt.db,
    clock: rt.clock,
    loadSnapshots: snapshots.load,
    loadDirectory: snapshots.directory,
    applyPlans: apply,
    intervalMs: options.slaIntervalMs ?? 60_000,
    onError: (err, c) => rt.logger.error({ err, ...c }, 'SLA sweep failed for a portal; its clocks are retried after the lease'),
  });
  if (runsJobs) sla.start();
  const retention = createRetentionJob(rt, retentionOptionsFromEnv());
  if (runsJobs) retention.start();
  // Read-only like a backfill dry run: the runner gets the snapshot builder, never the applier.
  const impactRuns = createImpactRunner({
    store: createImpactRunStore(rt.db),
    gateway,
    loadSnapshots: snapshots.load,
    loadDirectory: snapshots.directory,
    clock: rt.clock,
    logger: rt.logger,
    instanceId: rt.instanceId,
  });
  if (runsJobs) impactRuns.start();

  return {
    gateway,
    pipeline,
    sla,
    impactRuns,
    snapshots,
    participations,
    cardApi,
    rejectReasons,
    apply,
    async reevaluate(portalId, contactIds) {
      const [loaded, settings, dir] = await Promise.all([snapshots.load(portalId, contactIds), loadPortalSettings(rt.db, portalId), snapshots.directory(portalId)]);
      const now = rt.clock.now();
      const evaluate = (s: ContactSnapshot) => evaluateContact(s, settings, dir, now);
      await apply(portalId, await withOpenDeals(gateway, portalId, [...loaded.values()].map(evaluate), loaded, evaluate));
    },
    async stop(batchGraceMs = Number.POSITIVE_INFINITY) {
      // An SLA sweep, retention chunk or impact run cut short is safe: claimed clocks and runs come back after their lease, retention resumes next pass.
      await Promise.all([settleWithin(retention.stop(), batchGraceMs), settleWithin(sla.stop(), batchGraceMs), settleWithin(impactRuns.stop(), batchGraceMs), pipeline.stop(batchGraceMs)]);
    },
  };
}
