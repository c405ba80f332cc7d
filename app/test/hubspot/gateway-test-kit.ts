import { pino } from 'pino';
import { createManualClock, type ManualClock } from '../../src/platform/clock';
import { createMetrics, type Metrics } from '../../src/platform/metrics';
import { createHubSpotGateway, type HubSpotGatewayOptions } from '../../src/hubspot/hubspot-gateway';
import type { HubSpotCardReads, HubSpotGateway, HubSpotPortalSetup } from '../../src/hubspot/hubspot-gateway-types';
import { InstallNotActiveError, type TokenService } from '../../src/hubspot/token-service';
import type { Database } from '../../src/storage/database';

export const API = 'https://api.hubapi.com';
export const T0 = 1_750_000_000_000;

/** Tokens per portal; portals listed in `inactive` throw as the real service does. */
export function fakeTokens(inactive: Set<string> = new Set()): TokenService {
  return {
    getAccessToken: async (portalId) => {
      if (inactive.has(portalId)) throw new InstallNotActiveError(portalId, 'uninstalled');
      return `token-${portalId}`;
    },
    refreshNow: async (portalId) => `token-${portalId}`,
  };
}

export interface GatewayKit {
  gateway: HubSpotGateway & HubSpotCardReads & HubSpotPortalSetup;
  clock: ManualClock;
  metrics: Metrics;
  /** Every wait the gateway asked for, in order (instead of really sleeping). */
  sleeps: number[];
}

/** A gateway whose waits advance a manual clock: no real time passes in tests. */
export function gatewayKit(db: Database, overrides: Partial<HubSpotGatewayOptions> = {}): GatewayKit {
  const clock = overrides.clock ? (overrides.clock as ManualClock) : createManualClock(T0);
  const sleeps: number[] = [];
  const metrics = createMetrics({ defaultMetrics: false });
  const gateway = createHubSpotGateway({
    tokens: fakeTokens(),
    apiBaseUrl: API,
    db,
    logger: pino({ level: 'silent' }),
    metrics,
    clock,
    retry: { random: () => 1 },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    ...overrides,
  });
  return { gateway, clock, metrics, sleeps };
}

export const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => String(from + i));

/** HubSpot's batch read answer for the requested ids. */
export function batchAnswer(body: { inputs: { id: string }[] }, properties: (id: string) => Record<string, string | null> = () => ({})) {
  return {
    status: 'COMPLETE',
    results: body.inputs.map(({ id }) => ({ id, properties: { hs_object_id: id, ...properties(id) }, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z', archived: false })),
    startedAt: '2025-01-01T00:00:00Z',
    completedAt: '2025-01-01T00:00:01Z',
  };
}

/**
 * nock 15 calls reply functions with the fetch Request (not `(uri, body)`); these
 * wrap a handler that wants the parsed JSON body.
 */
export function jsonReply<T>(fn: (body: T, req: Request) => unknown) {
  return async (req: Request) => fn((await req.json()) as T, req);
}
