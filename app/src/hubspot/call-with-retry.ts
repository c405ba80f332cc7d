import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { Metrics } from '../platform/metrics';
import { HubSpotApiError } from './hubspot-errors';
import type { PortalApis, PortalClients } from './portal-clients';
import { createPortalRateLimiter, realSleep, type Sleep } from './portal-rate-limiter';
import { createMemoryRateBudget, type RateBudget, type RateLane } from './rate-budget';
import { DEFAULT_RETRY_OPTIONS, retryDelay, toHubSpotApiError, type RetryOptions } from './retry-policy';

export interface CallOptions {
  /**
   * Repeat the call after a 5xx or a network failure (default true). Off for creates
   * that may have reached HubSpot and would be duplicated by a repeat.
   */
  retryServerErrors?: boolean;
}

/**
 * One HubSpot call for a portal: `operation` names it in metrics and errors, `lane`
 * is the budget it counts against, `fn` does the request with the portal's API objects.
 */
export type HubSpotCall = <T>(portalId: string, operation: string, lane: RateLane, fn: (apis: PortalApis) => Promise<T>, opts?: CallOptions) => Promise<T>;

export interface CallWithRetryDeps {
  clients: PortalClients;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  /** Per-portal call budget. Default: in-process; pass createDatabaseRateBudget(db) when several processes share portals. */
  rateBudget?: RateBudget;
  retry?: Partial<RetryOptions>;
  /** Injectable wait (tests advance a manual clock instead of sleeping). */
  sleep?: Sleep;
}

/**
 * The one path every HubSpot call takes: wait for the portal's budget, call, classify
 * failures, retry what is safe to retry. A 429 blocks the portal's lane for every
 * caller sharing the budget (other processes too, with the database budget).
 */
export function createCallWithRetry(deps: CallWithRetryDeps): HubSpotCall {
  const { clients, logger, metrics, clock } = deps;
  const sleep = deps.sleep ?? realSleep;
  const retry: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...deps.retry };
  const budget = deps.rateBudget ?? createMemoryRateBudget();
  const requests = metrics.counter('tossup_hubspot_requests_total', 'HubSpot API calls by operation and outcome', ['operation', 'outcome']);
  const waits = metrics.counter('tossup_hubspot_rate_limit_waits_total', 'Times a call waited for the per-portal budget', ['lane']);
  const latency = metrics.histogram('tossup_hubspot_request_seconds', 'HubSpot API call latency', ['operation']);
  const limiter = createPortalRateLimiter({ budget, clock, sleep, onWait: (_p, lane) => waits.inc({ lane }) });

  return async function call<T>(portalId: string, operation: string, lane: RateLane, fn: (apis: PortalApis) => Promise<T>, opts: CallOptions = {}): Promise<T> {
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      await limiter.acquire(portalId, lane);
      const apis = await clients.apisFor(portalId);
      const stop = latency.startTimer({ operation });
      try {
        const result = await fn(apis);
        stop();
        requests.inc({ operation, outcome: 'ok' });
        return result;
      } catch (raw) {
        stop();
        const err = toHubSpotApiError(raw, operation, portalId, clock.now());
        requests.inc({ operation, outcome: err.category });
        // A token HubSpot calls expired before its recorded expiry (clock skew, early
        // expiry): one forced refresh and one retry; a second 401 fails as any other.
        if (err.status === 401 && err.options.hubspotCategory === 'EXPIRED_AUTHENTICATION' && !refreshed) {
          refreshed = true;
          if (await clients.refreshExpired(portalId, apis)) {
            logger.warn({ portalId, operation }, 'HubSpot refused the access token as expired; refreshed it and retrying once');
            attempt--;
            continue;
          }
        }
        const delay = retryDelay(err, attempt, retry, opts.retryServerErrors ?? true);
        if (err.category === 'daily_limit') logger.error({ portalId, operation }, 'HubSpot daily API limit reached for portal; calls stop until it resets');
        if (delay === undefined) {
          throw new HubSpotApiError(err.operation, err.portalId, err.category, err.status, err.detail, { ...err.options, attempts: attempt });
        }
        logger.warn({ portalId, operation, category: err.category, status: err.status, attempt, delayMs: delay }, 'HubSpot call failed; retrying');
        if (err.category === 'rate_limit' || err.category === 'search_rate') {
          // The limiter waits out the block on the next acquire (and so does every other caller).
          await limiter.block(portalId, lane, clock.now() + delay);
        } else {
          await sleep(delay);
        }
      }
    }
  };
}
