/**
 * The `sla_clocks` rows (0001_foundation.sql): one per handed-off contact, with the
 * domain SlaClock as JSON and the next instant the scheduler must look at it. The
 * only SQL for the table: the pipeline's applier, the SLA scheduler and the contact
 * lifecycle (deletion, merge) all write through here, so a restart loses no deadline.
 *
 * The scheduler's claim protocol: a claim pushes `next_check_at` one lease into the
 * future (FOR UPDATE SKIP LOCKED), and the claim's outcome is stored only while the
 * row still carries that lease (the applier may have replaced the clock meanwhile).
 */
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { nextSlaCheckAt } from '../domain/sla';
import type { SlaClock } from '../domain/types';
import type { Database, Queryable } from './database';

/** The state column as a driver returns it (jsonb is parsed; be lenient with text). */
function parseState(state: SlaClock | string): SlaClock {
  return typeof state === 'string' ? (JSON.parse(state) as SlaClock) : state;
}

/** Inserts or replaces a contact's clock, to be looked at again at `nextCheckAt` (null: never). */
export async function upsertSlaClock(db: Queryable, portalId: string, contactId: string, clock: SlaClock, nextCheckAt: number | null, now: number): Promise<void> {
  await db.query(
    `insert into sla_clocks (portal_id, contact_id, state, next_check_at, updated_at) values ($1, $2, $3::jsonb, $4, $5)
     on conflict (portal_id, contact_id) do update set state = excluded.state, next_check_at = excluded.next_check_at, updated_at = excluded.updated_at`,
    [portalId, contactId, JSON.stringify(clock), nextCheckAt, now],
  );
}

export async function deleteSlaClock(db: Queryable, portalId: string, contactId: string): Promise<void> {
  await db.query('delete from sla_clocks where portal_id = $1 and contact_id = $2', [portalId, contactId]);
}

/** Stores (or, for null, deletes) a contact's clock; next_check_at from the settings (nextSlaCheckAt). */
export async function saveSlaClock(db: Queryable, portalId: string, contactId: string, clock: SlaClock | null, settings: PortalSettings, now: number): Promise<void> {
  if (clock === null) await deleteSlaClock(db, portalId, contactId);
  else await upsertSlaClock(db, portalId, contactId, clock, nextSlaCheckAt(clock, settings), now);
}

export async function loadSlaClock(db: Queryable, portalId: string, contactId: string): Promise<SlaClock | undefined> {
  const { rows } = await db.query<{ state: SlaClock | string }>('select state from sla_clocks where portal_id = $1 and contact_id = $2', [portalId, contactId]);
  const state = rows[0]?.state;
  return state === undefined ? undefined : parseState(state);
}

/** The clocks of these contacts, by contact id (contacts without one are absent). */
export async function loadSlaClocks(db: Queryable, portalId: string, contactIds: readonly string[]): Promise<Map<string, SlaClock>> {
  const res = await db.query<{ contact_id: number; state: SlaClock | string }>(
    'select contact_id, state from sla_clocks where portal_id = $1 and contact_id = any($2::bigint[])',
    [portalId, contactIds],
  );
  return new Map(res.rows.map((r) => [String(r.contact_id), parseState(r.state)]));
}

/**
 * Merge: the survivor keeps its own clock if it has one, else takes the most recently
 * updated clock of the merged records; the merged records' clocks are removed.
 */
export async function moveSlaClockToSurvivor(tx: Queryable, portalId: string, survivorId: string, mergedIds: readonly string[]): Promise<void> {
  await tx.query(
    `insert into sla_clocks (portal_id, contact_id, state, next_check_at, updated_at)
     select portal_id, $2, state, next_check_at, updated_at from sla_clocks
     where portal_id = $1 and contact_id = any($3::bigint[])
     order by updated_at desc limit 1
     on conflict (portal_id, contact_id) do nothing`,
    [portalId, survivorId, mergedIds],
  );
  await tx.query('delete from sla_clocks where portal_id = $1 and contact_id = any($2::bigint[])', [portalId, mergedIds]);
}

/** A clock claimed by the scheduler, hidden from other processes until `lease`. */
export interface ClaimedSlaClock {
  portalId: string;
  contactId: string;
  clock: SlaClock;
  lease: number;
}

/** Claims up to `limit` due clocks (earliest first) and hides them until now + leaseMs. */
export async function claimDueSlaClocks(db: Database, now: number, limit: number, leaseMs: number): Promise<ClaimedSlaClock[]> {
  const lease = now + leaseMs;
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ portal_id: number; contact_id: number; state: SlaClock | string }>(
      `select portal_id, contact_id, state from sla_clocks
        where next_check_at is not null and next_check_at <= $1
        order by next_check_at, portal_id, contact_id
        limit $2
        for update skip locked`,
      [now, limit],
    );
    for (const r of rows) {
      await tx.query('update sla_clocks set next_check_at = $3, updated_at = $4 where portal_id = $1 and contact_id = $2', [r.portal_id, r.contact_id, lease, now]);
    }
    return rows.map((r) => ({ portalId: String(r.portal_id), contactId: String(r.contact_id), clock: parseState(r.state), lease }));
  });
}

/**
 * Stores a claim's outcome only if the row is still our claim: the new clock with its
 * next check, or (null) the clock deleted.
 */
export async function finishClaimedSlaClock(db: Queryable, claimed: ClaimedSlaClock, clock: SlaClock | null, nextCheckAt: number | null, now: number): Promise<void> {
  if (clock === null) {
    await db.query('delete from sla_clocks where portal_id = $1 and contact_id = $2 and next_check_at = $3', [claimed.portalId, claimed.contactId, claimed.lease]);
    return;
  }
  await db.query(
    'update sla_clocks set state = $3::jsonb, next_check_at = $4, updated_at = $5 where portal_id = $1 and contact_id = $2 and next_check_at = $6',
    [claimed.portalId, claimed.contactId, JSON.stringify(clock), nextCheckAt, now, claimed.lease],
  );
}

/** Stops a claimed clock (never looked at again) while keeping its state, if the row is still our claim. */
export async function stopClaimedSlaClock(db: Queryable, claimed: ClaimedSlaClock, now: number): Promise<void> {
  await db.query('update sla_clocks set next_check_at = null, updated_at = $3 where portal_id = $1 and contact_id = $2 and next_check_at = $4', [
    claimed.portalId,
    claimed.contactId,
    now,
    claimed.lease,
  ]);
}
