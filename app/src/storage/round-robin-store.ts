/**
 * `round_robin_counts` (0001_foundation.sql): assignments per (portal, pool, owner),
 * so round-robin routing picks the owner with the fewest. The only SQL for the table.
 */
import type { PortalDirectory } from '../domain/types';
import type { Queryable } from './database';

export type RoundRobinPool = keyof PortalDirectory['roundRobinCounts'];

/** Counts one more assignment to the owner (run it in the transaction that records the hand-off). */
export async function incrementRoundRobinCount(tx: Queryable, portalId: string, pool: RoundRobinPool | string, ownerId: string, now: number): Promise<void> {
  await tx.query(
    `insert into round_robin_counts (portal_id, pool, owner_id, assignments, updated_at) values ($1, $2, $3, 1, $4)
     on conflict (portal_id, pool, owner_id) do update set assignments = round_robin_counts.assignments + 1, updated_at = excluded.updated_at`,
    [portalId, pool, ownerId, now],
  );
}

/** The portal's counters by pool and owner (pools the engine does not know are ignored). */
export async function loadRoundRobinCounts(db: Queryable, portalId: string): Promise<PortalDirectory['roundRobinCounts']> {
  return roundRobinPools(await loadAllRoundRobinCounts(db, portalId));
}

/** Every round-robin key's counters (`sales`, `inside_sales`, `pool:<id>`, `team:<id>`), for weighted routing (issue 17). */
export async function loadAllRoundRobinCounts(db: Queryable, portalId: string): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  const res = await db.query<{ pool: string; owner_id: string; assignments: number }>('select pool, owner_id, assignments from round_robin_counts where portal_id = $1', [portalId]);
  for (const r of res.rows) (out[r.pool] ??= {})[r.owner_id] = Number(r.assignments);
  return out;
}

/** The two department pools the engine's default routing reads, out of every key's counters. */
export function roundRobinPools(all: Record<string, Record<string, number>>): PortalDirectory['roundRobinCounts'] {
  return { inside_sales: { ...all.inside_sales }, sales: { ...all.sales } };
}
