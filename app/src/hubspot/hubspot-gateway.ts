import type { TokenService } from './token-service';
import type { Database } from '../storage/database';
import { createCallWithRetry, type CallWithRetryDeps } from './call-with-retry';
import { createCrmRecords } from './crm-records';
import { createEngagements } from './engagements';
import { ensureContractProperties, ensureDealContractProperties } from './ensure-properties';
import type { HubSpotCardReads, HubSpotGateway, HubSpotPortalSetup, HubSpotSourceHealth } from './hubspot-gateway-types';
import { createMarketingEvents } from './marketing-events';
import { createPortalClients } from './portal-clients';
import { createPortalReads } from './portal-reads';
import { readPropertyOptions, replacePropertyOptions } from './property-options';
import { createSearch } from './search';
import { createSourceHealth } from './source-health';

/** The call path's options (budget, retry policy, sleep, logger, metrics, clock) plus what the gateway itself needs. */
export interface HubSpotGatewayOptions extends Omit<CallWithRetryDeps, 'clients'> {
  tokens: TokenService;
  /** Origin of every API call: https://api.hubapi.com, or the sandbox in local mode. */
  apiBaseUrl: string;
  db: Database;
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
    ensureContractProperties: (portalId, language) => ensureContractProperties(call, portalId, language),
    ensureDealContractProperties: (portalId, language) => ensureDealContractProperties(call, portalId, language),
    readContactPropertyOptions: (portalId, name) => readPropertyOptions(call, portalId, 'contacts', name),
    replaceContactPropertyOptions: (portalId, name, options) => replacePropertyOptions(call, portalId, 'contacts', name, options),
    ...createSourceHealth({ metrics, clock, logger }),
  };
}
