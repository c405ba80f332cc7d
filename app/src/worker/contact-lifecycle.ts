import type { Queryable } from '../storage/database';

/**
 * Database consequences of contacts disappearing in HubSpot. All idempotent, so a
 * redelivered event or a retried batch changes nothing more.
 */

/** Deleted (restorable for a while): stop its SLA clock; keep ledger and audit log for a restore. */
export async function onContactDeleted(tx: Queryable, portalId: string, contactId: string): Promise<void> {
  await tx.query('delete from sla_clocks where portal_id = $1 and contact_id = $2', [portalId, contactId]);
}

/**
 * GDPR/privacy deletion: nothing about the person may remain. Purges the ledger,
 * hand-off log, SLA clock, written-value notes and the stored webhook payloads
 * (which may hold property values) of that contact.
 * https://developers.hubspot.com/docs/api/webhooks#privacy-compliant-contact-deletions
 */
export async function onContactPrivacyDeleted(tx: Queryable, portalId: string, contactId: string, keepInboxIds: readonly number[]): Promise<void> {
  await tx.query('delete from signal_ledger where portal_id = $1 and contact_id = $2', [portalId, contactId]);
  await tx.query('delete from handoff_log where portal_id = $1 and contact_id = $2', [portalId, contactId]);
  await tx.query('delete from sla_clocks where portal_id = $1 and contact_id = $2', [portalId, contactId]);
  await tx.query('delete from pipeline_written_values where portal_id = $1 and object_id = $2', [portalId, contactId]);
  await tx.query(`delete from side_effects where portal_id = $1 and request->>'contactId' = $2`, [portalId, contactId]);
  await tx.query(`update webhook_inbox set payload = '{}'::jsonb where portal_id = $1 and object_id = $2 and not (id = any($3::bigint[]))`, [
    portalId,
    contactId,
    keepInboxIds,
  ]);
}

/**
 * Merge: the ledger and the SLA clock follow the surviving record, so signals are
 * not counted again on it and a running SLA keeps its deadline. When both records
 * had a clock, the survivor's stays. The audit log is re-pointed, not copied.
 */
export async function onContactsMerged(tx: Queryable, portalId: string, survivorId: string, mergedIds: readonly string[]): Promise<void> {
  const others = mergedIds.filter((id) => id !== survivorId);
  if (others.length === 0) return;
  await tx.query(
    `insert into signal_ledger (portal_id, contact_id, signal_key, kind, occurred_at, details, recorded_at)
     select portal_id, $2, signal_key, kind, occurred_at, details, recorded_at from signal_ledger
     where portal_id = $1 and contact_id = any($3::bigint[])
     on conflict (portal_id, contact_id, signal_key) do nothing`,
    [portalId, survivorId, others],
  );
  await tx.query('delete from signal_ledger where portal_id = $1 and contact_id = any($2::bigint[])', [portalId, others]);
  await tx.query(
    `insert into sla_clocks (portal_id, contact_id, state, next_check_at, updated_at)
     select portal_id, $2, state, next_check_at, updated_at from sla_clocks
     where portal_id = $1 and contact_id = any($3::bigint[])
     order by updated_at desc limit 1
     on conflict (portal_id, contact_id) do nothing`,
    [portalId, survivorId, others],
  );
  await tx.query('delete from sla_clocks where portal_id = $1 and contact_id = any($2::bigint[])', [portalId, others]);
  await tx.query('update handoff_log set contact_id = $2 where portal_id = $1 and contact_id = any($3::bigint[])', [portalId, survivorId, others]);
}
