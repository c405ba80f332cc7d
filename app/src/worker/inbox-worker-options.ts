import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { Metrics } from '../platform/metrics';
import type { HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import type { Database } from '../storage/database';
import type { ApplyPlansDeps } from '../engine/apply-plans';
import type { EventParticipationProvider, PortalDirectoryProvider } from '../engine/portal-directory';
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
  /** Our HubSpot app id (HUBSPOT_APP_ID): events whose sourceId is us are our own writes. */
  appId?: string;
  slaNextCheckAt?: ApplyPlansDeps['slaNextCheckAt'];
  options?: Partial<InboxWorkerOptions>;
}
