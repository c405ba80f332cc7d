import { describeEvent, type AssociationDescription, type EventDescription, type ObjectKind, type ObjectRef, type WebhookEvent } from '../domain/webhook-event';
import type { EngagementType } from '../hubspot/hubspot-gateway-types';
import type { InboxRow } from '../storage/inbox-store';

/**
 * One claimed inbox batch, each row with its event and what the event is about
 * (domain/webhook-event.ts). Events the worker acts on (after skip-own-writes.ts)
 * always have a description with an object id.
 */
export interface ParsedEvent {
  row: InboxRow;
  event: WebhookEvent;
  desc: EventDescription | undefined;
}

export function parseBatch(rows: readonly InboxRow[]): ParsedEvent[] {
  return rows.map((row) => ({ row, event: row.payload, desc: describeEvent(row.payload) }));
}

/** Engagement kinds whose events reach contacts through their associations (gateway object type names). */
export const ENGAGEMENT_OBJECT_TYPE: Partial<Record<ObjectKind, EngagementType>> = {
  call: 'calls',
  email: 'emails',
  meeting: 'meetings',
  note: 'notes',
  task: 'tasks',
};

/** The engagement side of an association change (call, email, meeting, note, task), if it has one. */
export function engagementSide(a: AssociationDescription): ObjectRef | undefined {
  return [a.from, a.to].find((r) => r.kind !== undefined && ENGAGEMENT_OBJECT_TYPE[r.kind] !== undefined);
}
