import type { Clock } from '../platform/clock';
import type { Metrics } from '../platform/metrics';
import type { Logger } from '../platform/log';
import type { TokenService } from './token-service';
import type { Database } from '../storage/database';
import { createCallWithRetry } from './call-with-retry';
import { createCrmRecords } from './crm-records';
import { createEngagements } from './engagements';
import { ensureContractProperties } from './ensure-properties';
import type { HubSpotCardReads, HubSpotGateway, HubSpotPortalSetup, HubSpotSourceHealth } from './hubspot-gateway-types';
import { createMarketingEvents } from './marketing-events';
import { createPortalClients } from './portal-clients';
import { createPortalReads } from './portal-reads';
import type { Sleep } from './portal-rate-limiter';
import type { RateBudget } from './rate-budget';
import type { RetryOptions } from './retry-policy';
import { createSearch } from './search';
import { createSourceHealth } from './source-health';

export interface HubSpotGatewayOptions {
  tokens: TokenService;
  /** Origin of every API call: https://api.hubapi.com, or the sandbox in local mode. */
  apiBaseUrl: string;
  db: Database;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  /** Per-portal call budget. Default: in-process; pass createDatabaseRateBudget(db) when several processes share portals. */
  rateBudget?: RateBudget;
  retry?: Partial<RetryOptions>;
  /** Injectable wait (tests advance a manual clock instead of sleeping). */
  sleep?: Sleep;
  /**
   * How old a pending side-effect reservation must be before recovery searches
   * HubSpot for it. Search results lag writes by a few seconds
   * (https://developers.hubspot.com/docs/api/crm/search#limitations); 60 s is a safe margin.
   */
  sideEffectRecoveryDelayMs?: number;
}

/**
 * The gateway: one SDK client per portal (portal-clients.ts), one call path with
 * the portal's budget and retries (call-with-retry.ts), and the operations built on
 * it, each in the file named for its job.
 */
export function createHubSpotGateway(options: HubSpotGatewayOptions): HubSpotGateway & HubSpotCardReads & HubSpotPortalSetup & HubSpotSourceHealth {
  const { tokens, apiBaseUrl, db, logger, metrics, clock } = options;
  const call = createCallWithRetry({
    clients: createPortalClients({ tokens, apiBaseUrl }),
    logger,
    metrics,
    clock,
    ...(options.rateBudget ? { rateBudget: options.rateBudget } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const search = createSearch(call);
  return {
    ...createCrmRecords(call),
    ...search,
    ...createEngagements({ call, db, clock, recoveryDelayMs: options.sideEffectRecoveryDelayMs ?? 60_000, findByMarkers: search.findByMarkers }),
    ...createPortalReads(call),
    ...createMarketingEvents(call),
    ensureContractProperties: (portalId) => ensureContractProperties(call, portalId),
    ...createSourceHealth({ metrics, clock, logger }),
  };
}
