import { DEFAULT_BURST_BUDGET, HUBSPOT_BURST_WINDOW_MS, SEARCH_REQUESTS_PER_SECOND, SEARCH_WINDOW_MS } from './hubspot-limits';

/**
 * A per-portal rolling-window budget of HubSpot calls. Two lanes, because HubSpot
 * counts them separately: `standard` (110 / 10 s, we use 100) and `search` (5 / s).
 *
 * Two implementations share this interface:
 * - createMemoryRateBudget: one process owns all traffic to its portals;
 * - createDatabaseRateBudget: every process of a deployment takes slots from the
 *   same PostgreSQL table, so N processes together still stay below the limit.
 */
export type RateLane = 'standard' | 'search';

export interface LaneLimit {
  max: number;
  windowMs: number;
}

export type LaneLimits = Record<RateLane, LaneLimit>;

export const DEFAULT_LANE_LIMITS: LaneLimits = {
  standard: { max: DEFAULT_BURST_BUDGET, windowMs: HUBSPOT_BURST_WINDOW_MS },
  search: { max: SEARCH_REQUESTS_PER_SECOND, windowMs: SEARCH_WINDOW_MS },
};

export interface RateBudget {
  readonly limits: LaneLimits;
  /** Takes a slot and answers 0, or answers how many ms to wait before asking again. */
  tryTake(portalId: string, lane: RateLane, now: number): Promise<number>;
  /** After a 429: nobody using this budget calls the portal's lane before `until`. */
  block(portalId: string, lane: RateLane, until: number): Promise<void>;
}

export function createMemoryRateBudget(limits: LaneLimits = DEFAULT_LANE_LIMITS): RateBudget {
  const windows = new Map<string, number[]>();
  const blocks = new Map<string, number>();
  return {
    limits,
    async tryTake(portalId, lane, now) {
      const key = `${portalId}:${lane}`;
      const blockedUntil = blocks.get(key) ?? 0;
      if (blockedUntil > now) return blockedUntil - now;
      const { max, windowMs } = limits[lane];
      const calls = (windows.get(key) ?? []).filter((at) => at > now - windowMs);
      if (calls.length < max) {
        calls.push(now);
        windows.set(key, calls);
        return 0;
      }
      windows.set(key, calls);
      // The oldest call leaves the window at oldest + windowMs.
      return Math.max(1, calls[0]! + windowMs - now);
    },
    async block(portalId, lane, until) {
      const key = `${portalId}:${lane}`;
      blocks.set(key, Math.max(blocks.get(key) ?? 0, until));
    },
  };
}
