/**
 * Hand-off events for the timeline, from the audit log the applier writes
 * (`handoff_log`, migration 0001): who tossed, to whom, why, accept/reject, SLA
 * results and escalations. Bounded: a timeline shows the latest events only.
 */
import type { Queryable } from './database';
import type { EpochMs, PortalId } from '../domain/types';

export interface HandoffLogRow {
  contactId: string;
  action: string;
  actorOwnerId: string | null;
  toOwnerId: string | null;
  reason: string | null;
  at: EpochMs;
  dedupeKey: string;
}

export interface HandoffLogReader {
  listForContacts(portalId: PortalId, contactIds: readonly string[]): Promise<HandoffLogRow[]>;
}

export const MAX_LOG_ROWS = 500;

export function createHandoffLogReader(db: Queryable): HandoffLogReader {
  return {
    async listForContacts(portalId, contactIds) {
      const ids = contactIds.filter((id) => /^\d{1,20}$/.test(id));
      if (ids.length === 0) return [];
      const { rows } = await db.query<{
        contact_id: number;
        action: string;
        actor_owner_id: string | null;
        to_owner_id: string | null;
        reason: string | null;
        at: number;
        dedupe_key: string;
      }>(
        `select contact_id, action, actor_owner_id, to_owner_id, reason, at, dedupe_key from handoff_log
         where portal_id = $1 and contact_id = any($2::bigint[]) order by at desc limit ${MAX_LOG_ROWS}`,
        [portalId, ids],
      );
      return rows.map(
        (r): HandoffLogRow => ({
          contactId: String(r.contact_id),
          action: r.action,
          actorOwnerId: r.actor_owner_id,
          toOwnerId: r.to_owner_id,
          reason: r.reason,
          at: Number(r.at),
          dedupeKey: r.dedupe_key,
        }),
      );
    },
  };
}
