/**
 * `routing_owner_load` (0200_routing.sql): open hand-offs per rep, the number the
 * capacity cap is checked against. The only SQL for the table. Raised and lowered
 * only together with a seat in routing_assignments (routing-assignment-store.ts).
 */
import type { Queryable } from './database';

/**
 * One more open hand-off for the rep unless that would pass `cap` (null = no cap).
 * One statement: concurrent callers queue on the row lock and the WHERE is checked
 * against the row as the previous one left it, so a cap is never exceeded.
 */
export async function tryRaiseOwnerLoad(tx: Queryable, portalId: string, ownerId: string, cap: number | null, now: number): Promise<boolean> {
  const res = await tx.query(
    `insert into routing_owner_load (portal_id, owner_id, open_handoffs, updated_at)
     select $1, $2, 1, $4 where $3::integer is null or $3::integer > 0
     on conflict (portal_id, owner_id) do update set open_handoffs = routing_owner_load.open_handoffs + 1, updated_at = excluded.updated_at
     where $3::integer is null or routing_owner_load.open_handoffs < $3::integer
     returning open_handoffs`,
    [portalId, ownerId, cap, now],
  );
  return res.rows.length > 0;
}

/** `n` more open hand-offs for the rep, with no cap: seats seeded from hand-offs the rep already holds (routing-load-seed-store.ts). */
export async function raiseOwnerLoadBy(tx: Queryable, portalId: string, ownerId: string, n: number, now: number): Promise<void> {
  await tx.query(
    `insert into routing_owner_load (portal_id, owner_id, open_handoffs, updated_at) values ($1, $2, $3, $4)
     on conflict (portal_id, owner_id) do update set open_handoffs = routing_owner_load.open_handoffs + excluded.open_handoffs, updated_at = excluded.updated_at`,
    [portalId, ownerId, n, now],
  );
}

export async function lowerOwnerLoad(tx: Queryable, portalId: string, ownerId: string, now: number): Promise<void> {
  await tx.query('update routing_owner_load set open_handoffs = greatest(open_handoffs - 1, 0), updated_at = $3 where portal_id = $1 and owner_id = $2', [portalId, ownerId, now]);
}

/** Open hand-offs per rep (reps with none are absent). */
export async function loadOwnerLoads(db: Queryable, portalId: string): Promise<Record<string, number>> {
  const res = await db.query<{ owner_id: string; open_handoffs: number }>('select owner_id, open_handoffs from routing_owner_load where portal_id = $1 and open_handoffs > 0', [portalId]);
  return Object.fromEntries(res.rows.map((r) => [r.owner_id, Number(r.open_handoffs)]));
}
