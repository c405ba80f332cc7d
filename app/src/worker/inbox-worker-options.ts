import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { Metrics } from '../platform/metrics';
import type { HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import type { Database } from '../storage/database';
import type { ApplyPlansDeps } from '../engine/apply-plans';
import type { PortalDirectoryProvider } from '../engine/portal-directory';
import type { EventParticipationProvider } from '../engine/event-participations';
import type { ReadCompanies } from '../engine/company-cache';
import type { EvaluateFn, LoadSettingsFn } from './worker-types';

/** The inbox worker's tuning and dependencies (inbox-worker.ts). */
export interface InboxWorkerOptions {
  batchSize: number;
  leaseMs: number;
  /** Real ms between renewals of the held portal lease (inbox-worker.ts): well under leaseMs, also at the bench's time scale. */
  leaseRenewMs: number;
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** How long a portal with an inactive install waits before its events are looked at again. */
  installPauseMs: number;
  /** Batches per portal per claim, so one busy portal does not starve the others. */
  maxBatchesPerClaim: number;
  /** Sub-batches tried to isolate the events HubSpot refuses (isolate-poison.ts); enough for a few bad contacts in 2,000 events. */
  maxIsolationRuns: number;
  /**
   * The coalescing window of the poll path (`drainSettled`, inbox-worker.ts), in ms of the
   * injected clock: a portal's events are read once none arrived for this long… (0: no window)
   */
  coalesceQuietMs: number;
  /** …or once the oldest has waited this long, so a sustained stream is still read (at most one read per hot contact per window). */
  coalesceMaxWaitMs: number;
  random: () => number;
}

export const DEFAULT_INBOX_WORKER_OPTIONS: InboxWorkerOptions = {
  // Large batches coalesce more events per contact into one evaluation: fewer re-reads of hot
  // contacts during a burst (app/dev/bench/README.md, "Design"). 2,000 events stay well inside one transaction.
  batchSize: 2000,
  leaseMs: 120_000,
  leaseRenewMs: 5_000,
  maxAttempts: 8,
  baseBackoffMs: 30_000,
  maxBackoffMs: 60 * 60_000,
  installPauseMs: 5 * 60_000,
  maxBatchesPerClaim: 10,
  maxIsolationRuns: 64,
  // A burst (an import, a campaign send) arrives as a stream of deliveries (HubSpot sends up to
  // 100 events per request, up to 10 at once: docs/hubspot-platform.md §3.3, §3.5); reading after
  // it paused 5 s reads each contact once. 60 s bounds how late a score or a hand-off task can be
  // during a longer stream; SLA clocks count in hours (docs/decisions.md, "Issue 19").
  coalesceQuietMs: 5_000,
  coalesceMaxWaitMs: 60_000,
  random: Math.random,
};

export interface InboxWorkerDeps<S> {
  db: Database;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  gateway: HubSpotGateway;
  instanceId: string;
  evaluate: EvaluateFn<S>;
  loadSettings: LoadSettingsFn<S>;
  directory: PortalDirectoryProvider;
  participations?: EventParticipationProvider;
  /** Primary companies through the portal's company cache (engine/company-cache.ts); company events invalidate it. */
  readCompanies?: ReadCompanies;
  /** Our HubSpot app id (HUBSPOT_APP_ID): events whose sourceId is us are our own writes. */
  appId?: string;
  slaNextCheckAt?: ApplyPlansDeps['slaNextCheckAt'];
  options?: Partial<InboxWorkerOptions>;
}
