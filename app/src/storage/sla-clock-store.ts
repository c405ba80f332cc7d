/**
 * The `sla_clocks` rows (0001_foundation.sql): one per handed-off contact, with the
 * domain SlaClock as JSON and the next instant the scheduler must look at it. The
 * pipeline's applier and the scheduler both write through here, so `next_check_at`
 * is always computed the same way (nextSlaCheckAt) and a restart loses no deadline.
 */
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { nextSlaCheckAt } from '../domain/sla';
import type { SlaClock } from '../domain/types';
import type { Queryable } from './database';

/** Stores (or, for null, deletes) a contact's clock. */
export async function saveSlaClock(db: Queryable, portalId: string, contactId: string, clock: SlaClock | null, settings: PortalSettings, now: number): Promise<void> {
  if (clock === null) {
    await db.query('delete from sla_clocks where portal_id = $1 and contact_id = $2', [portalId, contactId]);
    return;
  }
  await db.query(
    `insert into sla_clocks (portal_id, contact_id, state, next_check_at, updated_at) values ($1, $2, $3::jsonb, $4, $5)
     on conflict (portal_id, contact_id) do update set state = excluded.state, next_check_at = excluded.next_check_at, updated_at = excluded.updated_at`,
    [portalId, contactId, JSON.stringify(clock), nextSlaCheckAt(clock, settings), now],
  );
}

export async function loadSlaClock(db: Queryable, portalId: string, contactId: string): Promise<SlaClock | undefined> {
  const { rows } = await db.query<{ state: SlaClock | string }>('select state from sla_clocks where portal_id = $1 and contact_id = $2', [portalId, contactId]);
  const state = rows[0]?.state;
  return typeof state === 'string' ? (JSON.parse(state) as SlaClock) : state;
}
