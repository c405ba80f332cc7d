/**
 * `participation_refreshes` (0140_event_participations.sql): when a process last completed
 * a portal's Marketing Events participation refresh (app/src/engine/event-participations.ts).
 * The only SQL for the table.
 */
import type { Queryable } from './database';

export async function loadParticipationRefreshedAt(db: Queryable, portalId: string): Promise<number | undefined> {
  const res = await db.query<{ refreshed_at: number | string }>('select refreshed_at from participation_refreshes where portal_id = $1', [portalId]);
  return res.rows[0] ? Number(res.rows[0].refreshed_at) : undefined;
}

/** A refresh that started at `at` completed; an older one finishing later does not move the time back. */
export async function saveParticipationRefreshedAt(db: Queryable, portalId: string, at: number): Promise<void> {
  await db.query(
    `insert into participation_refreshes (portal_id, refreshed_at) values ($1, $2)
     on conflict (portal_id) do update set refreshed_at = greatest(participation_refreshes.refreshed_at, excluded.refreshed_at)`,
    [portalId, at],
  );
}

/** Uninstall: the portal's refresh time goes with its participations. */
export async function deleteParticipationRefresh(db: Queryable, portalId: string): Promise<void> {
  await db.query('delete from participation_refreshes where portal_id = $1', [portalId]);
}
