/**
 * `hubspot_rate_window` and `hubspot_rate_blocks` (0100_pipeline.sql): the HubSpot
 * rate budget shared by every process on one server — one row per call taken in a
 * sliding window per (portal, lane), and the instant until which a 429 blocks a
 * lane. The protocol (one transaction under an advisory lock per call) lives in
 * app/src/hubspot/database-rate-budget.ts; this module is the only SQL for the tables.
 */
import type { Queryable } from './database';

// First half of the two-int advisory lock key: "tossup rate budget". Any constant
// works as long as every process uses the same one.
const RATE_LOCK_SPACE = 7_460_100;

/** Serialises the (portal, lane) budget until the surrounding transaction ends. */
export async function lockRateLane(tx: Queryable, portalId: string, lane: string): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [RATE_LOCK_SPACE, `${portalId}:${lane}`]);
}

/** Until when a 429 blocks the lane (0 when never blocked). */
export async function loadRateBlock(db: Queryable, portalId: string, lane: string): Promise<number> {
  const block = await db.query<{ until: number }>('select until from hubspot_rate_blocks where portal_id = $1 and lane = $2', [portalId, lane]);
  return block.rows[0]?.until ?? 0;
}

/** Blocks the lane until `until` (a later block already stored is kept). */
export async function blockRateLane(db: Queryable, portalId: string, lane: string, until: number): Promise<void> {
  await db.query(
    `insert into hubspot_rate_blocks (portal_id, lane, until) values ($1, $2, $3)
     on conflict (portal_id, lane) do update set until = greatest(hubspot_rate_blocks.until, excluded.until)`,
    [portalId, lane, until],
  );
}

/** Drops the calls at or before `before`, then counts the calls left in the window and the oldest one. */
export async function pruneAndCountRateWindow(tx: Queryable, portalId: string, lane: string, before: number): Promise<{ n: number; oldest: number | null }> {
  await tx.query('delete from hubspot_rate_window where portal_id = $1 and lane = $2 and at <= $3', [portalId, lane, before]);
  const usage = await tx.query<{ n: number; oldest: number | null }>(
    'select count(*)::int as n, min(at) as oldest from hubspot_rate_window where portal_id = $1 and lane = $2',
    [portalId, lane],
  );
  return usage.rows[0] ?? { n: 0, oldest: null };
}

/** Records one call taken at `at`. */
export async function takeRateSlot(tx: Queryable, portalId: string, lane: string, at: number): Promise<void> {
  await tx.query('insert into hubspot_rate_window (portal_id, lane, at) values ($1, $2, $3)', [portalId, lane, at]);
}
