import type { Queryable } from '../storage/database';
import { randomInt } from 'node:crypto';
import { anonymiseHandoffLogOfContact, repointHandoffLog } from '../storage/handoff-log-store';
import { scrubInboxPayloadsOfContact } from '../storage/inbox-store';
import { deleteSideEffectsOfContact } from '../storage/side-effect-store';
import { deleteLedgerOfContact, moveLedgerToSurvivor } from '../storage/signal-ledger-store';
import { deleteSlaClock, moveSlaClockToSurvivor } from '../storage/sla-clock-store';
import { deleteRoutingSeatsOfContact, releaseRoutingSeats } from '../storage/routing-assignment-store';
import { deleteWrittenValuesOfObject } from '../storage/written-values-store';
import { deleteParticipationsOfContact, eventsOfContacts, moveParticipationsToSurvivor } from '../storage/event-participation-store';
import { forgetMarketingEventFingerprints } from '../storage/marketing-event-read-store';

/**
 * Database consequences of contacts disappearing in HubSpot. All idempotent, so a
 * redelivered event or a retried batch changes nothing more.
 */

/** Deleted (restorable for a while): stop its SLA clock; keep ledger and audit log for a restore. */
export async function onContactDeleted(tx: Queryable, portalId: string, contactId: string, at = 0): Promise<void> {
  await deleteSlaClock(tx, portalId, contactId);
  // Its hand-off no longer counts against the rep's cap (issue 17).
  await releaseRoutingSeats(tx, portalId, contactId, at);
}

/**
 * GDPR/privacy deletion: nothing about the person may remain. Deletes the signal ledger
 * (the person's activity), SLA clock, written-value notes, side-effect records and stored
 * Marketing Events participations, and
 * empties the stored webhook payloads (which may hold property values) of that contact.
 * The hand-off log is anonymised, not deleted: the audit of the process (who handed off
 * to whom, when, SLA met or breached) stays, under a random surrogate id, without the
 * person (handoff-log-store.ts anonymiseHandoffLogOfContact; docs/decisions.md).
 * https://developers.hubspot.com/docs/api/webhooks#privacy-compliant-contact-deletions
 */
export async function onContactPrivacyDeleted(tx: Queryable, portalId: string, contactId: string, keepInboxIds: readonly number[], at = 0): Promise<void> {
  await deleteLedgerOfContact(tx, portalId, contactId);
  // Negative and random: never a HubSpot id, not derivable from the contact id (2^48 values).
  await anonymiseHandoffLogOfContact(tx, portalId, contactId, -randomInt(1, 2 ** 48));
  await deleteSlaClock(tx, portalId, contactId);
  await deleteRoutingSeatsOfContact(tx, portalId, contactId, at);
  await deleteWrittenValuesOfObject(tx, portalId, contactId);
  await deleteSideEffectsOfContact(tx, portalId, contactId);
  await scrubInboxPayloadsOfContact(tx, portalId, contactId, keepInboxIds);
  await deleteParticipationsOfContact(tx, portalId, contactId);
}

/**
 * Merge: the ledger and the SLA clock follow the surviving record, so signals are
 * not counted again on it and a running SLA keeps its deadline. When both records
 * had a clock, the survivor's stays. The audit log is re-pointed, not copied.
 * Stored Marketing Events participations follow the survivor at once, and their events are
 * read again at the next participation refresh: whether HubSpot moves participations to the
 * surviving record, and whether that changes the event's counters, is UNVERIFIED — the
 * re-read makes HubSpot's answer win either way (engine/event-participations.ts).
 */
export async function onContactsMerged(tx: Queryable, portalId: string, survivorId: string, mergedIds: readonly string[], at = 0): Promise<void> {
  const others = mergedIds.filter((id) => id !== survivorId);
  if (others.length === 0) return;
  await moveLedgerToSurvivor(tx, portalId, survivorId, others);
  await moveSlaClockToSurvivor(tx, portalId, survivorId, others);
  await repointHandoffLog(tx, portalId, survivorId, others);
  await forgetMarketingEventFingerprints(tx, portalId, await eventsOfContacts(tx, portalId, others));
  await moveParticipationsToSurvivor(tx, portalId, survivorId, others);
  // The merged records' hand-offs end with them; the survivor's seat (if any) stays.
  for (const id of others) await releaseRoutingSeats(tx, portalId, id, at);
}
