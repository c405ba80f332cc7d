import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { Metrics } from '../platform/metrics';
import type { OptionalSource, UnavailableSource } from '../domain/types';
import { HubSpotApiError } from './hubspot-errors';
import type { HubSpotSourceHealth } from './hubspot-gateway-types';
import { InstallNotActiveError } from './token-service';

/** How long a missing scope stays on the settings page after HubSpot last named it. */
export const MISSING_SCOPE_MEMORY_MS = 24 * 60 * 60 * 1000;

/**
 * What an optional read's failure means for the snapshot. An install that is no
 * longer active is not a missing source: it stops the portal's work as before.
 */
export function toUnavailable(source: OptionalSource, err: unknown): UnavailableSource {
  if (err instanceof InstallNotActiveError) throw err;
  if (err instanceof HubSpotApiError && err.missingScope) {
    const scopes = err.options.requiredScopes ?? [];
    return { source, reason: 'missing_scope', ...(scopes.length > 0 ? { scope: scopes.join(',') } : {}) };
  }
  return { source, reason: 'error' };
}

/**
 * Counts unavailable sources (tossup_hubspot_source_unavailable_total{source,scope})
 * and remembers, per portal and in this process, the scopes HubSpot said were
 * missing, for the settings page's warning. Memory is enough: every process reads
 * HubSpot and fills it again within one drain.
 */
export function createSourceHealth(deps: { metrics: Metrics; clock: Clock; logger: Logger }): HubSpotSourceHealth {
  const counter = deps.metrics.counter('tossup_hubspot_source_unavailable_total', 'Optional HubSpot sources a read had to do without, by source and missing scope', ['source', 'scope']);
  const seen = new Map<string, Map<string, number>>();
  return {
    reportUnavailable(portalId, u) {
      counter.inc({ source: u.source, scope: u.scope ?? '' });
      deps.logger.warn({ portalId, source: u.source, reason: u.reason, scope: u.scope }, 'optional HubSpot source unavailable; evaluated without it');
      if (!u.scope) return;
      const scopes = seen.get(portalId) ?? new Map<string, number>();
      for (const scope of u.scope.split(',')) scopes.set(scope, deps.clock.now());
      seen.set(portalId, scopes);
    },
    recentMissingScopes(portalId) {
      const since = deps.clock.now() - MISSING_SCOPE_MEMORY_MS;
      return [...(seen.get(portalId) ?? new Map<string, number>())].filter(([, at]) => at >= since).map(([scope]) => scope).sort();
    },
  };
}

/**
 * Runs an optional read: its answer, or `fallback` after reporting the source as
 * unavailable. `health` is optional so fakes of the gateway need not implement it.
 */
export async function readOptional<T>(
  health: Partial<HubSpotSourceHealth>,
  portalId: string,
  source: OptionalSource,
  unavailable: UnavailableSource[],
  read: () => Promise<T>,
  fallback: T,
): Promise<T> {
  try {
    return await read();
  } catch (err) {
    const u = toUnavailable(source, err);
    unavailable.push(u);
    health.reportUnavailable?.(portalId, u);
    return fallback;
  }
}
