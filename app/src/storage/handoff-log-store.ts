/**
 * `handoff_log` (migration 0001): the audit log of hand-offs the applier writes —
 * who tossed, to whom, why, accept/reject, SLA results and escalations — and the
 * card timeline reads. One row per dedupe key, so a retried plan logs once. The
 * only SQL for the table. Reads are bounded: a timeline shows the latest events only.
 */
import type { Queryable } from './database';
import type { EpochMs, PlannedHandoffLogEntry, PortalId } from '../domain/types';

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

/** Appends entries; an entry whose dedupe key is already logged is left as it is. */
export async function appendHandoffLog(tx: Queryable, portalId: string, contactId: string, entries: readonly PlannedHandoffLogEntry[]): Promise<void> {
  for (const h of entries) {
    await tx.query(
      `insert into handoff_log (portal_id, contact_id, action, actor_owner_id, to_owner_id, reason, routing_path, details, at, dedupe_key)
       values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10) on conflict (portal_id, dedupe_key) do nothing`,
      [portalId, contactId, h.action, h.actorOwnerId ?? null, h.toOwnerId ?? null, h.reason ?? null, h.routingPath ?? null, JSON.stringify(h.details), h.at, h.dedupeKey],
    );
  }
}

/**
 * The `details` keys an anonymised entry keeps: facts about the hand-off process (SLA
 * kinds and deadlines, codes, routing flags), none about the person. Anything else —
 * BANT answers, score and its breakdown, keys added later — is dropped (fail closed).
 */
export const AUDIT_DETAIL_KEYS = [
  'kind',
  'at',
  'dueAt',
  'firstTouchDueAt',
  'statusUpdateDueAt',
  'automatic',
  'source',
  'forced',
  'missing',
  'reasonCode',
  'coolOffUntil',
  'destination',
  'configured',
  'unassigned',
  'hoursBefore',
  'followUpTask',
  'mqlRule',
] as const;

/**
 * Privacy deletion (docs/decisions.md, "Issue 13: privacy deletion keeps an anonymous
 * audit trail"): the contact's entries stay for the audit of the hand-off process
 * (who handed off to whom, when, accepted or rejected, SLA met or breached), but no
 * longer name the person: contact_id becomes `surrogateId` (negative, so never a HubSpot
 * id, and random, so not derivable from the contact id; one per erased contact, so its
 * entries still group), the free-text reason is emptied, `details` keeps only
 * AUDIT_DETAIL_KEYS, and the dedupe key, which embeds the contact id, becomes
 * `erased:<row id>`. Idempotent: a second run finds no row under the contact id.
 * Returns the number of entries anonymised.
 */
export async function anonymiseHandoffLogOfContact(tx: Queryable, portalId: string, contactId: string, surrogateId: number): Promise<number> {
  if (surrogateId >= 0) throw new Error('tossup: the surrogate id of an erased contact must be negative');
  const res = await tx.query(
    `update handoff_log set
       contact_id = $3,
       reason = null,
       details = (select coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb) from jsonb_each(handoff_log.details) e where e.key = any($4::text[])),
       dedupe_key = 'erased:' || id
     where portal_id = $1 and contact_id = $2`,
    [portalId, contactId, surrogateId, [...AUDIT_DETAIL_KEYS]],
  );
  return res.rowCount;
}

/** A handoff_log row as both readers select it. */
interface HandoffLogDbRow {
  contact_id: number;
  action: string;
  actor_owner_id: string | null;
  to_owner_id: string | null;
  reason: string | null;
  at: number;
  dedupe_key: string;
}

function toHandoffLogRow(r: HandoffLogDbRow): HandoffLogRow {
  return {
    contactId: String(r.contact_id),
    action: r.action,
    actorOwnerId: r.actor_owner_id,
    toOwnerId: r.to_owner_id,
    reason: r.reason,
    at: Number(r.at),
    dedupeKey: r.dedupe_key,
  };
}

/** Merge: the merged records' log is re-pointed to the survivor, not copied. */
export async function repointHandoffLog(tx: Queryable, portalId: string, survivorId: string, mergedIds: readonly string[]): Promise<void> {
  await tx.query('update handoff_log set contact_id = $2 where portal_id = $1 and contact_id = any($3::bigint[])', [portalId, survivorId, mergedIds]);
}

/** Every entry of these contacts with its details, oldest first (the backfill of the report fields: app/src/backfill). */
export async function listHandoffLogWithDetails(
  db: Queryable,
  portalId: PortalId,
  contactIds: readonly string[],
): Promise<(HandoffLogRow & { details: Record<string, unknown> })[]> {
  const ids = contactIds.filter((id) => /^\d{1,20}$/.test(id));
  if (ids.length === 0) return [];
  const { rows } = await db.query<HandoffLogDbRow & { details: unknown }>(
    `select contact_id, action, actor_owner_id, to_owner_id, reason, at, dedupe_key, details from handoff_log
     where portal_id = $1 and contact_id = any($2::bigint[]) order by at asc, id asc`,
    [portalId, ids],
  );
  return rows.map((r) => ({
    ...toHandoffLogRow(r),
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details ?? {}) as Record<string, unknown>,
  }));
}

export function createHandoffLogReader(db: Queryable): HandoffLogReader {
  return {
    async listForContacts(portalId, contactIds) {
      const ids = contactIds.filter((id) => /^\d{1,20}$/.test(id));
      if (ids.length === 0) return [];
      const { rows } = await db.query<HandoffLogDbRow>(
        `select contact_id, action, actor_owner_id, to_owner_id, reason, at, dedupe_key from handoff_log
         where portal_id = $1 and contact_id = any($2::bigint[]) order by at desc limit ${MAX_LOG_ROWS}`,
        [portalId, ids],
      );
      return rows.map(toHandoffLogRow);
    },
  };
}
