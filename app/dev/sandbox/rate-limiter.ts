import type { Clock } from '../../src/platform/clock';

/**
 * HubSpot's per-portal API limits, measured on the sandbox clock (so timeScale shrinks
 * the windows and a manual clock makes them deterministic):
 *  - OAuth apps: 110 requests per rolling 10 seconds per installing account, search excluded
 *    (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines);
 *  - CRM search: 5 requests per second per account
 *    (https://developers.hubspot.com/docs/guides/api/crm/search#limitations).
 * Rejected requests do not consume the budget.
 */
export const TEN_SECONDLY_MAX = 110;
export const TEN_SECONDLY_WINDOW_MS = 10_000;
export const SEARCH_PER_SECOND_MAX = 5;
export const SEARCH_WINDOW_MS = 1_000;

export interface RollingWindow {
  /** Records a request if the window has room; returns the remaining budget, or -1 when over the limit. */
  take(key: string): number;
  remaining(key: string): number;
  readonly max: number;
  readonly windowMs: number;
}

export function createRollingWindow(clock: Clock, max: number, windowMs: number): RollingWindow {
  const hits = new Map<string, number[]>();
  const prune = (key: string): number[] => {
    const now = clock.now();
    const list = (hits.get(key) ?? []).filter((t) => t > now - windowMs);
    hits.set(key, list);
    return list;
  };
  return {
    max,
    windowMs,
    take: (key) => {
      const list = prune(key);
      if (list.length >= max) return -1;
      list.push(clock.now());
      return max - list.length;
    },
    remaining: (key) => max - prune(key).length,
  };
}
