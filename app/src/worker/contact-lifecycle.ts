import type { Queryable } from '../storage/database';
import { deleteHandoffLogOfContact, repointHandoffLog } from '../storage/handoff-log-store';
import { scrubInboxPayloadsOfContact } from '../storage/inbox-store';
import { deleteSideEffectsOfContact } from '../storage/side-effect-store';
import { deleteLedgerOfContact, moveLedgerToSurvivor } from '../storage/signal-ledger-store';
import { deleteSlaClock, moveSlaClockToSurvivor } from '../storage/sla-clock-store';
import { deleteWrittenValuesOfObject } from '../storage/written-values-store';

/**
 * Database consequences of contacts disappearing in HubSpot. All idempotent, so a
 * redelivered event or a retried batch changes nothing more.
 */

/** Deleted (restorable for a while): stop its SLA clock; keep ledger and audit log for a restore. */
export async function onContactDeleted(tx: Queryable, portalId: string, contactId: string): Promise<void> {
  await deleteSlaClock(tx, portalId, contactId);
}

/**
 * GDPR/privacy deletion: nothing about the person may remain. Purges the ledger,
 * hand-off log, SLA clock, written-value notes and the stored webhook payloads
 * (which may hold property values) of that contact.
 * https://developers.hubspot.com/docs/api/webhooks#privacy-compliant-contact-deletions
 */
export async function onContactPrivacyDeleted(tx: Queryable, portalId: string, contactId: string, keepInboxIds: readonly number[]): Promise<void> {
  await deleteLedgerOfContact(tx, portalId, contactId);
  await deleteHandoffLogOfContact(tx, portalId, contactId);
  await deleteSlaClock(tx, portalId, contactId);
  await deleteWrittenValuesOfObject(tx, portalId, contactId);
  await deleteSideEffectsOfContact(tx, portalId, contactId);
  await scrubInboxPayloadsOfContact(tx, portalId, contactId, keepInboxIds);
}

/**
 * Merge: the ledger and the SLA clock follow the surviving record, so signals are
 * not counted again on it and a running SLA keeps its deadline. When both records
 * had a clock, the survivor's stays. The audit log is re-pointed, not copied.
 */
export async function onContactsMerged(tx: Queryable, portalId: string, survivorId: string, mergedIds: readonly string[]): Promise<void> {
  const others = mergedIds.filter((id) => id !== survivorId);
  if (others.length === 0) return;
  await moveLedgerToSurvivor(tx, portalId, survivorId, others);
  await moveSlaClockToSurvivor(tx, portalId, survivorId, others);
  await repointHandoffLog(tx, portalId, survivorId, others);
}
