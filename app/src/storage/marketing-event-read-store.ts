/**
 * `marketing_event_reads` (0140_event_participations.sql): per Marketing Event, the
 * fingerprint its participations were read at, when, and its name
 * (app/src/engine/event-participations.ts). The only SQL for the table.
 */
import type { Queryable } from './database';

export interface MarketingEventRead {
  eventId: string;
  eventName: string;
  /** Empty: read the event again at the next refresh. */
  fingerprint: string;
  readAt: number;
}

export async function loadMarketingEventReads(db: Queryable, portalId: string): Promise<Map<string, MarketingEventRead>> {
  const res = await db.query<{ event_id: string; event_name: string; fingerprint: string; read_at: number | string }>(
    'select event_id, event_name, fingerprint, read_at from marketing_event_reads where portal_id = $1',
    [portalId],
  );
  return new Map(res.rows.map((r) => [r.event_id, { eventId: r.event_id, eventName: r.event_name, fingerprint: r.fingerprint, readAt: Number(r.read_at) }]));
}

/** Records that an event's participations were stored as of `read.fingerprint` (in the same transaction as the rows). */
export async function saveMarketingEventRead(tx: Queryable, portalId: string, read: MarketingEventRead): Promise<void> {
  await tx.query(
    `insert into marketing_event_reads (portal_id, event_id, event_name, fingerprint, read_at) values ($1, $2, $3, $4, $5)
     on conflict (portal_id, event_id) do update set event_name = excluded.event_name, fingerprint = excluded.fingerprint, read_at = excluded.read_at`,
    [portalId, read.eventId, read.eventName, read.fingerprint, read.readAt],
  );
}

/** An event renamed in HubSpot: the seminar signal shows the current name without a re-read. */
export async function renameMarketingEvent(db: Queryable, portalId: string, eventId: string, eventName: string): Promise<void> {
  await db.query('update marketing_event_reads set event_name = $3 where portal_id = $1 and event_id = $2', [portalId, eventId, eventName]);
}

/** The next refresh reads these events again, whatever their fingerprint (a merge moved participations). */
export async function forgetMarketingEventFingerprints(db: Queryable, portalId: string, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await db.query("update marketing_event_reads set fingerprint = '' where portal_id = $1 and event_id = any($2::text[])", [portalId, [...eventIds]]);
}

export async function deleteMarketingEventReads(tx: Queryable, portalId: string, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await tx.query('delete from marketing_event_reads where portal_id = $1 and event_id = any($2::text[])', [portalId, [...eventIds]]);
}

/** Uninstall: the portal's event reads go with its participations. */
export async function deletePortalMarketingEventReads(db: Queryable, portalId: string): Promise<void> {
  await db.query('delete from marketing_event_reads where portal_id = $1', [portalId]);
}
