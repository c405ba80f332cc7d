import { createDatabaseRateBudget } from '../hubspot/database-rate-budget';
import { createHubSpotGateway } from '../hubspot/hubspot-gateway';
import type { HubSpotCardReads, HubSpotGateway, HubSpotPortalSetup, HubSpotSourceHealth } from '../hubspot/hubspot-gateway-types';
import { createMemoryRateBudget, DEFAULT_LANE_LIMITS, type LaneLimits } from '../hubspot/rate-budget';
import type { TokenService } from '../hubspot/token-service';
import type { PipelineRuntime } from '../worker/start-pipeline';

export interface ProcessGatewayOptions {
  /** Per-portal API budget; default 100 / 10 s and 5 search / s. */
  laneLimits?: LaneLimits;
  /** How the gateway waits for the budget (the benchmark scales time). */
  sleep?: (ms: number) => Promise<void>;
}

/** The pipeline's reads and writes, the card API's reads and the installer's property set-up. */
export type ProcessGateway = HubSpotGateway & HubSpotCardReads & HubSpotPortalSetup & HubSpotSourceHealth;

/**
 * The one gateway of a backend process. With a PostgreSQL server (possibly shared
 * by several processes) the per-portal budget lives in the database; with the
 * embedded database there is only one process, so memory is enough.
 */
export function createProcessGateway(rt: PipelineRuntime, tokens: TokenService, options: ProcessGatewayOptions = {}): ProcessGateway {
  const laneLimits = options.laneLimits ?? DEFAULT_LANE_LIMITS;
  return createHubSpotGateway({
    tokens,
    apiBaseUrl: rt.config.hubspot.apiBaseUrl,
    db: rt.db,
    logger: rt.logger,
    metrics: rt.metrics,
    clock: rt.clock,
    rateBudget: rt.db.kind === 'postgres' ? createDatabaseRateBudget(rt.db, laneLimits) : createMemoryRateBudget(laneLimits),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
}
