/**
 * `event_participations` (0140_event_participations.sql): Marketing Events participations
 * per contact, as last read from HubSpot (app/src/engine/event-participations.ts).
 * The only SQL for the table.
 */
import type { Queryable } from './database';

/** Rows per INSERT statement (5 parameters each plus 2 shared, well under PostgreSQL's 65,535). */
const ROWS_PER_STATEMENT = 2000;

export type AttendanceState = 'REGISTERED' | 'ATTENDED' | 'CANCELLED' | 'NO_SHOW';

export interface StoredParticipation {
  participationId: string;
  contactId: string;
  state: AttendanceState;
  occurredAt: number;
}

export interface ContactEventParticipation {
  eventId: string;
  /** The event's name as last listed (marketing_event_reads), for the seminar signal's details. */
  eventName: string;
  state: AttendanceState;
  occurredAt: number;
}

/** Replaces everything stored for one event with what HubSpot listed for it now (call inside a transaction). */
export async function replaceEventParticipations(tx: Queryable, portalId: string, eventId: string, rows: readonly StoredParticipation[]): Promise<void> {
  await tx.query('delete from event_participations where portal_id = $1 and event_id = $2', [portalId, eventId]);
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const group = rows.slice(i, i + ROWS_PER_STATEMENT);
    await tx.query(
      `insert into event_participations (portal_id, event_id, participation_id, contact_id, state, occurred_at)
       select $1, $2, p, c, s, o from unnest($3::text[], $4::bigint[], $5::text[], $6::bigint[]) as t(p, c, s, o)
       on conflict (portal_id, event_id, participation_id) do update set contact_id = excluded.contact_id, state = excluded.state, occurred_at = excluded.occurred_at`,
      [portalId, eventId, group.map((r) => r.participationId), group.map((r) => r.contactId), group.map((r) => r.state), group.map((r) => r.occurredAt)],
    );
  }
}

/**
 * The participations of these contacts, with the event's name, in a stable order
 * (occurrence, then event, then participation). Only events with a read row count: a
 * row of an event being removed cannot outlive its event.
 */
export async function loadParticipationsOfContacts(db: Queryable, portalId: string, contactIds: readonly string[]): Promise<Map<string, ContactEventParticipation[]>> {
  const out = new Map<string, ContactEventParticipation[]>();
  const ids = [...new Set(contactIds)].filter((id) => /^\d+$/.test(id));
  if (ids.length === 0) return out;
  const res = await db.query<{ contact_id: number | string; event_id: string; event_name: string; state: AttendanceState; occurred_at: number | string }>(
    `select p.contact_id, p.event_id, r.event_name, p.state, p.occurred_at
     from event_participations p
     join marketing_event_reads r on r.portal_id = p.portal_id and r.event_id = p.event_id
     where p.portal_id = $1 and p.contact_id = any($2::bigint[])
     order by p.occurred_at, p.event_id, p.participation_id`,
    [portalId, ids],
  );
  for (const r of res.rows) {
    const id = String(r.contact_id);
    const list = out.get(id) ?? [];
    list.push({ eventId: r.event_id, eventName: r.event_name, state: r.state, occurredAt: Number(r.occurred_at) });
    out.set(id, list);
  }
  return out;
}

/** The events a contact took part in (merges mark them for a re-read). */
export async function eventsOfContacts(db: Queryable, portalId: string, contactIds: readonly string[]): Promise<string[]> {
  if (contactIds.length === 0) return [];
  const res = await db.query<{ event_id: string }>('select distinct event_id from event_participations where portal_id = $1 and contact_id = any($2::bigint[]) order by event_id', [portalId, [...contactIds]]);
  return res.rows.map((r) => r.event_id);
}

/** Merge: the merged records' participations follow the survivor until their events are read again. */
export async function moveParticipationsToSurvivor(tx: Queryable, portalId: string, survivorId: string, mergedIds: readonly string[]): Promise<void> {
  if (mergedIds.length === 0) return;
  await tx.query('update event_participations set contact_id = $2 where portal_id = $1 and contact_id = any($3::bigint[])', [portalId, survivorId, [...mergedIds]]);
}

/** Events no longer listed (deleted, or ended before the look-back): their participations go. */
export async function deleteParticipationsOfEvents(tx: Queryable, portalId: string, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await tx.query('delete from event_participations where portal_id = $1 and event_id = any($2::text[])', [portalId, [...eventIds]]);
}

/** Privacy deletion: nothing about the person may remain. */
export async function deleteParticipationsOfContact(tx: Queryable, portalId: string, contactId: string): Promise<void> {
  await tx.query('delete from event_participations where portal_id = $1 and contact_id = $2', [portalId, contactId]);
}

/** Uninstall: the portal's participations go with its other data. */
export async function deletePortalParticipations(db: Queryable, portalId: string): Promise<void> {
  await db.query('delete from event_participations where portal_id = $1', [portalId]);
}
