import type { Database } from '../storage/database';
import { DEFAULT_LANE_LIMITS, type LaneLimits, type RateBudget } from './rate-budget';

// First half of the two-int advisory lock key: "tossup rate budget". Any constant
// works as long as every process uses the same one.
const RATE_LOCK_SPACE = 7_460_100;

/**
 * The rate budget shared by every backend process on one PostgreSQL server: each
 * call takes a row in hubspot_rate_window under a transaction-scoped advisory lock
 * on (portal, lane), so two processes cannot both take the 100th slot. A 429 seen
 * by any process blocks the lane for all of them (hubspot_rate_blocks).
 *
 * Cost: one short transaction per HubSpot call (about a millisecond on a local
 * server), small next to the call itself, and calls are batched (100 records each).
 */
export function createDatabaseRateBudget(db: Database, limits: LaneLimits = DEFAULT_LANE_LIMITS): RateBudget {
  return {
    limits,
    tryTake: (portalId, lane, now) =>
      db.transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [RATE_LOCK_SPACE, `${portalId}:${lane}`]);
        const block = await tx.query<{ until: number }>('select until from hubspot_rate_blocks where portal_id = $1 and lane = $2', [portalId, lane]);
        const until = block.rows[0]?.until ?? 0;
        if (until > now) return until - now;
        const { max, windowMs } = limits[lane];
        await tx.query('delete from hubspot_rate_window where portal_id = $1 and lane = $2 and at <= $3', [portalId, lane, now - windowMs]);
        const usage = await tx.query<{ n: number; oldest: number | null }>(
          'select count(*)::int as n, min(at) as oldest from hubspot_rate_window where portal_id = $1 and lane = $2',
          [portalId, lane],
        );
        const { n, oldest } = usage.rows[0] ?? { n: 0, oldest: null };
        if (n < max) {
          await tx.query('insert into hubspot_rate_window (portal_id, lane, at) values ($1, $2, $3)', [portalId, lane, now]);
          return 0;
        }
        return Math.max(1, (oldest ?? now) + windowMs - now);
      }),
    block: async (portalId, lane, until) => {
      await db.query(
        `insert into hubspot_rate_blocks (portal_id, lane, until) values ($1, $2, $3)
         on conflict (portal_id, lane) do update set until = greatest(hubspot_rate_blocks.until, excluded.until)`,
        [portalId, lane, until],
      );
    },
  };
}
