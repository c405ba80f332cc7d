import type { Clock } from '../platform/clock';
import type { RateBudget, RateLane } from './rate-budget';

/**
 * Waits for a slot in the portal's budget before each HubSpot call. Waiting is per
 * portal: portal A's full window never delays portal B, because each acquire only
 * looks at its own portal's lane.
 *
 * `sleep` is injectable so tests drive time with a manual clock instead of waiting.
 */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PortalRateLimiter {
  acquire(portalId: string, lane: RateLane): Promise<void>;
  block(portalId: string, lane: RateLane, untilMs: number): Promise<void>;
}

export function createPortalRateLimiter(deps: {
  budget: RateBudget;
  clock: Clock;
  sleep?: Sleep;
  onWait?: (portalId: string, lane: RateLane, ms: number) => void;
}): PortalRateLimiter {
  const sleep = deps.sleep ?? realSleep;
  return {
    async acquire(portalId, lane) {
      for (;;) {
        const wait = await deps.budget.tryTake(portalId, lane, deps.clock.now());
        if (wait <= 0) return;
        deps.onWait?.(portalId, lane, wait);
        await sleep(wait);
      }
    },
    block: (portalId, lane, untilMs) => deps.budget.block(portalId, lane, untilMs),
  };
}
