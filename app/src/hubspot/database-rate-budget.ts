import type { Database } from '../storage/database';
import { blockRateLane, loadRateBlock, lockRateLane, pruneAndCountRateWindow, takeRateSlot } from '../storage/rate-window-store';
import { DEFAULT_LANE_LIMITS, type LaneLimits, type RateBudget } from './rate-budget';

/**
 * The rate budget shared by every backend process on one PostgreSQL server: each
 * call takes a row in hubspot_rate_window under a transaction-scoped advisory lock
 * on (portal, lane), so two processes cannot both take the 100th slot. A 429 seen
 * by any process blocks the lane for all of them (hubspot_rate_blocks). The SQL is in
 * app/src/storage/rate-window-store.ts.
 *
 * Cost: one short transaction per HubSpot call (about a millisecond on a local
 * server), small next to the call itself, and calls are batched (100 records each).
 */
export function createDatabaseRateBudget(db: Database, limits: LaneLimits = DEFAULT_LANE_LIMITS): RateBudget {
  return {
    limits,
    tryTake: (portalId, lane, now) =>
      db.transaction(async (tx) => {
        await lockRateLane(tx, portalId, lane);
        const until = await loadRateBlock(tx, portalId, lane);
        if (until > now) return until - now;
        const { max, windowMs } = limits[lane];
        const { n, oldest } = await pruneAndCountRateWindow(tx, portalId, lane, now - windowMs);
        if (n < max) {
          await takeRateSlot(tx, portalId, lane, now);
          return 0;
        }
        return Math.max(1, (oldest ?? now) + windowMs - now);
      }),
    block: async (portalId, lane, until) => {
      await blockRateLane(db, portalId, lane, until);
    },
  };
}
