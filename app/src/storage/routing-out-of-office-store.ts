/**
 * `routing_out_of_office` (0200_routing.sql): reps' away days (「不在設定」), set by an
 * admin on the settings page or by the rep from the card. Local dates (YYYY-MM-DD)
 * in the portal's business calendar, inclusive. The only SQL for the table.
 */
import type { OutOfOfficeRange } from '../domain/types';
import type { Queryable } from './database';

export async function addOutOfOffice(db: Queryable, portalId: string, range: Omit<OutOfOfficeRange, 'id'>, createdBy: string | null, now: number): Promise<OutOfOfficeRange> {
  const res = await db.query<{ id: string | number }>(
    'insert into routing_out_of_office (portal_id, owner_id, from_date, to_date, note, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7) returning id',
    [portalId, range.ownerId, range.from, range.to, range.note ?? null, createdBy, now],
  );
  return { ...range, id: String(res.rows[0]!.id) };
}

/** Ranges that end on or after `fromDate` (past ones are history), earliest first; one owner's or everyone's. */
export async function listOutOfOffice(db: Queryable, portalId: string, fromDate: string, ownerId?: string): Promise<OutOfOfficeRange[]> {
  const res = await db.query<{ id: string | number; owner_id: string; from_date: string; to_date: string; note: string | null }>(
    `select id, owner_id, from_date, to_date, note from routing_out_of_office
     where portal_id = $1 and to_date >= $2 and ($3::text is null or owner_id = $3) order by from_date, id`,
    [portalId, fromDate, ownerId ?? null],
  );
  return res.rows.map((r) => ({ id: String(r.id), ownerId: r.owner_id, from: r.from_date, to: r.to_date, ...(r.note ? { note: r.note } : {}) }));
}

/** Deletes one range; with `ownerId`, only if it is that owner's (a rep removes only their own). */
export async function deleteOutOfOffice(db: Queryable, portalId: string, id: string, ownerId?: string): Promise<boolean> {
  if (!/^\d+$/.test(id)) return false;
  const res = await db.query('delete from routing_out_of_office where portal_id = $1 and id = $2 and ($3::text is null or owner_id = $3) returning id', [portalId, id, ownerId ?? null]);
  return res.rows.length > 0;
}

/** Uninstall: people's away days are personal data. */
export async function deletePortalOutOfOffice(db: Queryable, portalId: string): Promise<void> {
  await db.query('delete from routing_out_of_office where portal_id = $1', [portalId]);
}
