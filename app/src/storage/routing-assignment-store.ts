/**
 * `routing_assignments` (0200_routing.sql): the seat each hand-off holds with its rep
 * (issue 17). The only SQL for the table. A claim is one transaction: the seat, the
 * rep's load under the cap (routing-owner-load-store.ts) and the round-robin count
 * (round-robin-store.ts) move together or not at all.
 */
import type { RoutingClaim } from '../domain/types';
import type { Database, Queryable } from './database';
import { incrementRoundRobinCount } from './round-robin-store';
import { lowerOwnerLoad, tryRaiseOwnerLoad } from './routing-owner-load-store';

/** The rep is at their cap: a concurrent hand-off took the last seat after this plan was made. Re-plan. */
export class RoutingCapacityError extends Error {
  constructor(
    readonly portalId: string,
    readonly contactId: string,
    readonly ownerId: string,
    readonly cap: number | null,
  ) {
    super(`tossup: owner ${ownerId} reached the cap of ${String(cap)} open hand-offs while contact ${contactId} was being routed; it is routed again`);
    this.name = 'RoutingCapacityError';
  }
}

export interface OpenSeat {
  contactId: string;
  handoffKey: string;
  ownerId: string;
  poolKey: string | null;
  assignedAt: number;
}

/**
 * Takes the hand-off's seat with `claim.ownerId`. Idempotent: the same (contact,
 * handoff key, owner) again changes nothing. The same hand-off with another owner
 * moves the seat (reassign). Throws RoutingCapacityError, changing nothing, when the
 * owner is at the cap.
 */
export async function claimRoutingSeat(db: Database, portalId: string, contactId: string, claim: RoutingClaim, now: number): Promise<'claimed' | 'moved' | 'unchanged'> {
  return db.transaction(async (tx) => {
    const existing = await tx.query<{ owner_id: string; closed_at: number | null }>(
      'select owner_id, closed_at from routing_assignments where portal_id = $1 and contact_id = $2 and handoff_key = $3 for update',
      [portalId, contactId, claim.handoffKey],
    );
    const row = existing.rows[0];
    if (row && row.owner_id === claim.ownerId) return 'unchanged';
    // Seats of the contact's earlier hand-offs are over once a new one starts.
    const earlier = await tx.query<{ owner_id: string }>(
      `update routing_assignments set closed_at = $4 where portal_id = $1 and contact_id = $2 and handoff_key <> $3 and closed_at is null returning owner_id`,
      [portalId, contactId, claim.handoffKey, now],
    );
    for (const r of earlier.rows) await lowerOwnerLoad(tx, portalId, r.owner_id, now);
    if (!(await tryRaiseOwnerLoad(tx, portalId, claim.ownerId, claim.cap, now))) throw new RoutingCapacityError(portalId, contactId, claim.ownerId, claim.cap);
    if (claim.poolKey) await incrementRoundRobinCount(tx, portalId, claim.poolKey, claim.ownerId, now);
    if (row) {
      if (row.closed_at === null) await lowerOwnerLoad(tx, portalId, row.owner_id, now);
      await tx.query(
        'update routing_assignments set owner_id = $4, pool_key = $5, assigned_at = $6, closed_at = null where portal_id = $1 and contact_id = $2 and handoff_key = $3',
        [portalId, contactId, claim.handoffKey, claim.ownerId, claim.poolKey ?? null, now],
      );
      return 'moved';
    }
    await tx.query(
      'insert into routing_assignments (portal_id, contact_id, handoff_key, owner_id, pool_key, assigned_at) values ($1, $2, $3, $4, $5, $6)',
      [portalId, contactId, claim.handoffKey, claim.ownerId, claim.poolKey ?? null, now],
    );
    return 'claimed';
  });
}

/** The contact's hand-off is over: its open seat no longer counts against the rep. */
export async function releaseRoutingSeats(tx: Queryable, portalId: string, contactId: string, now: number): Promise<number> {
  const res = await tx.query<{ owner_id: string }>(
    'update routing_assignments set closed_at = $3 where portal_id = $1 and contact_id = $2 and closed_at is null returning owner_id',
    [portalId, contactId, now],
  );
  for (const r of res.rows) await lowerOwnerLoad(tx, portalId, r.owner_id, now);
  return res.rows.length;
}

/** Open seats of these contacts (at most one each), by contact id. */
export async function loadOpenSeats(db: Queryable, portalId: string, contactIds: readonly string[]): Promise<Map<string, OpenSeat>> {
  const res = await db.query<{ contact_id: number | string; handoff_key: string; owner_id: string; pool_key: string | null; assigned_at: number | string }>(
    'select contact_id, handoff_key, owner_id, pool_key, assigned_at from routing_assignments where portal_id = $1 and contact_id = any($2::bigint[]) and closed_at is null',
    [portalId, contactIds],
  );
  return new Map(res.rows.map((r) => [String(r.contact_id), { contactId: String(r.contact_id), handoffKey: r.handoff_key, ownerId: r.owner_id, poolKey: r.pool_key, assignedAt: Number(r.assigned_at) }]));
}

/** Privacy deletion: frees the seats and removes the rows (they link the person to a rep). */
export async function deleteRoutingSeatsOfContact(tx: Queryable, portalId: string, contactId: string, now: number): Promise<void> {
  await releaseRoutingSeats(tx, portalId, contactId, now);
  await tx.query('delete from routing_assignments where portal_id = $1 and contact_id = $2', [portalId, contactId]);
}
