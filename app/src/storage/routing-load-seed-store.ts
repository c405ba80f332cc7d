/**
 * `routing_load_seeds` (0220_routing_load_seed.sql): the routing load of a portal seeded
 * once from the hand-offs that were open in HubSpot before tossup counted them (issue
 * 17). The only SQL for the table. Seats are written through routing_assignments and
 * routing_owner_load, in one transaction with the marker row, so two processes seeding
 * the same portal at once cannot both count the same hand-off.
 */
import type { Database, Queryable } from './database';
import { raiseOwnerLoadBy } from './routing-owner-load-store';

/** Has this portal's load been seeded? */
export async function routingLoadSeeded(db: Queryable, portalId: string): Promise<boolean> {
  const res = await db.query('select 1 from routing_load_seeds where portal_id = $1', [portalId]);
  return res.rows.length > 0;
}

/**
 * Gives each open hand-off a seat (`handoff_key` 'seed') with its rep unless the
 * contact holds one already, raises each rep's load by their new seats (no cap: these
 * leads are theirs already), and marks the portal seeded. Returns the seats added, or
 * null when another process seeded the portal first (nothing changed).
 */
export async function seedRoutingLoad(db: Database, portalId: string, open: readonly { contactId: string; ownerId: string }[], now: number): Promise<number | null> {
  return db.transaction(async (tx) => {
    const marked = await tx.query('insert into routing_load_seeds (portal_id, seeded_at, seats) values ($1, $2, 0) on conflict (portal_id) do nothing returning portal_id', [portalId, now]);
    if (marked.rows.length === 0) return null;
    const added = await tx.query<{ owner_id: string }>(
      `insert into routing_assignments (portal_id, contact_id, handoff_key, owner_id, pool_key, assigned_at)
       select $1, s.contact_id, 'seed', s.owner_id, null, $4
       from unnest($2::bigint[], $3::text[]) as s(contact_id, owner_id)
       where not exists (select 1 from routing_assignments a where a.portal_id = $1 and a.contact_id = s.contact_id and a.closed_at is null)
       on conflict do nothing
       returning owner_id`,
      [portalId, open.map((o) => o.contactId), open.map((o) => o.ownerId), now],
    );
    const byOwner = new Map<string, number>();
    for (const r of added.rows) byOwner.set(r.owner_id, (byOwner.get(r.owner_id) ?? 0) + 1);
    for (const [ownerId, n] of byOwner) await raiseOwnerLoadBy(tx, portalId, ownerId, n, now);
    await tx.query('update routing_load_seeds set seats = $2 where portal_id = $1', [portalId, added.rows.length]);
    return added.rows.length;
  });
}
