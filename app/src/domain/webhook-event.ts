import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '@tossup/shared/canonical-json';

/**
 * HubSpot webhook events: a JSON array, up to 100 per POST, unordered, possibly
 * duplicated. Field names are HubSpot's own.
 * https://developers.hubspot.com/docs/api/webhooks#webhook-payloads
 *
 * The schema checks only the fields the pipeline relies on and keeps every other
 * field (looseObject), so a field HubSpot adds later is stored, not rejected.
 */
/**
 * Ids and times land in PostgreSQL bigint columns (portal_id, object_id, occurred_at):
 * a value beyond bigint would fail the insert, answer 503 and be retried by HubSpot
 * for 24 h with the rest of its batch, so it is refused here as a malformed event.
 */
const PG_BIGINT_MAX = 9223372036854775807n;
const id = z
  .union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().refine((s) => /^\d{1,19}$/.test(s) && BigInt(s) <= PG_BIGINT_MAX, 'expected a non-negative integer id of at most 64 bits')])
  .transform((v) => String(v));
const epochMs = z.union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,15}$/).transform(Number)]);

export const webhookEventSchema = z.looseObject({
  portalId: id,
  occurredAt: epochMs,
  subscriptionType: z.string().min(1),
  eventId: id.optional(),
  subscriptionId: id.optional(),
  appId: id.optional(),
  attemptNumber: z.number().int().nonnegative().optional(),
  objectId: id.optional(),
  objectTypeId: z.string().optional(),
  propertyName: z.string().optional(),
  propertyValue: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  changeSource: z.string().optional(),
  sourceId: z.union([z.string(), z.number()]).transform((v) => String(v)).optional(),
  primaryObjectId: id.optional(),
  mergedObjectIds: z.array(id).optional(),
  newObjectId: id.optional(),
  // Association events (see describeAssociation below). Tolerant on purpose: optional
  // fields, a typeId as number or string, so a variant of the shape is stored and read,
  // never refused.
  fromObjectTypeId: z.string().optional(),
  fromObjectId: id.optional(),
  toObjectTypeId: z.string().optional(),
  toObjectId: id.optional(),
  associationType: z.string().optional(),
  associationTypeId: z.union([z.number(), z.string()]).optional(),
  associationCategory: z.string().optional(),
  associationRemoved: z.boolean().optional(),
  isPrimaryAssociation: z.boolean().optional(),
});

export const webhookBatchSchema = z.array(webhookEventSchema, { error: 'the body must be a JSON array of HubSpot webhook events' });

export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** Object kinds the pipeline acts on, by HubSpot objectTypeId. https://developers.hubspot.com/docs/api/crm/understanding-the-crm#object-type-ids */
export const OBJECT_TYPE_IDS: Record<string, ObjectKind> = {
  '0-1': 'contact',
  '0-2': 'company',
  '0-48': 'call',
  '0-49': 'email',
  '0-47': 'meeting',
  '0-46': 'note',
  '0-27': 'task',
};

export type ObjectKind = 'contact' | 'company' | 'call' | 'email' | 'meeting' | 'note' | 'task';
export type EventAction = 'creation' | 'deletion' | 'propertyChange' | 'merge' | 'restore' | 'associationChange' | 'privacyDeletion' | 'reconcile';

const ACTIONS = new Set<EventAction>(['creation', 'deletion', 'propertyChange', 'merge', 'restore', 'associationChange', 'privacyDeletion', 'reconcile']);
/**
 * Legacy `contact.*` / `company.*` subscription types map to the same kinds.
 * `contact.reconcile` is our own: the reconciliation sweep stores one per contact it
 * found modified, so missed webhooks go through the same path as delivered ones.
 */
const LEGACY_KINDS: Record<string, ObjectKind> = { contact: 'contact', company: 'company' };
export const RECONCILE_SUBSCRIPTION_TYPE = 'contact.reconcile';

export interface EventDescription {
  kind: ObjectKind;
  action: EventAction;
  /** The object the event is about; for merges, the surviving record; for association changes, the (first) contact side. */
  objectId: string | undefined;
  /** Association changes only: both sides of the association. */
  association?: AssociationDescription;
}

/** One side of an association. `objectTypeId` is HubSpot's ("0-1", "0-3", …); `kind` when the pipeline knows the type. */
export interface ObjectRef {
  objectTypeId: string;
  kind: ObjectKind | undefined;
  objectId: string;
}

export interface AssociationDescription {
  from: ObjectRef;
  to: ObjectRef;
  removed: boolean;
}

/** What an event is about, or undefined for subscription types the pipeline ignores. */
export function describeEvent(e: WebhookEvent): EventDescription | undefined {
  const [prefix, actionName] = e.subscriptionType.split('.', 2) as [string, string | undefined];
  if (!actionName || !ACTIONS.has(actionName as EventAction)) return undefined;
  const action = actionName as EventAction;
  if (action === 'associationChange') return describeAssociation(prefix, e);
  const kind = prefix === 'object' ? (e.objectTypeId ? OBJECT_TYPE_IDS[e.objectTypeId] : undefined) : LEGACY_KINDS[prefix];
  if (!kind) return undefined;
  // Engagements matter when created or when a task's status changes (SLA first touch).
  if (kind !== 'contact' && kind !== 'company' && action !== 'creation' && !(kind === 'task' && action === 'propertyChange')) return undefined;
  if (kind === 'company' && action !== 'propertyChange') return undefined;
  const objectId = action === 'merge' ? (e.newObjectId ?? e.primaryObjectId ?? e.objectId) : e.objectId;
  return { kind, action, objectId };
}

/**
 * HubSpot's upper-case object names in legacy `associationType` strings
 * ("CONTACT_TO_COMPANY") → objectTypeId.
 * https://developers.hubspot.com/docs/api/crm/understanding-the-crm#object-type-ids
 */
const UPPER_TYPE_IDS: Record<string, string> = {
  CONTACT: '0-1',
  COMPANY: '0-2',
  DEAL: '0-3',
  TICKET: '0-5',
  PRODUCT: '0-7',
  LINE_ITEM: '0-8',
  CALL: '0-48',
  EMAIL: '0-49',
  MEETING: '0-47',
  MEETING_EVENT: '0-47',
  NOTE: '0-46',
  TASK: '0-27',
};
const LEGACY_PREFIX_TYPE_IDS: Record<string, string> = { contact: '0-1', company: '0-2', deal: '0-3', ticket: '0-5', product: '0-7', line_item: '0-8' };
const CONTACT_TYPE_ID = '0-1';

/**
 * Association changes carry no objectTypeId/objectId but both sides:
 * - generic `object.associationChange`: fromObjectTypeId, fromObjectId, toObjectTypeId,
 *   toObjectId, associationTypeId, associationCategory ("HUBSPOT_DEFINED"),
 *   associationRemoved, isPrimaryAssociation
 *   (https://developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions);
 * - legacy `contact.associationChange` (also company., deal.…): fromObjectId, toObjectId and
 *   an `associationType` string such as "CONTACT_TO_COMPANY"
 *   (https://developers.hubspot.com/changelog/new-subscription-types-for-webhooks).
 * HubSpot fires one event per side (contact → call and call → contact, each for the
 * subscription of its `from` type: https://developers.hubspot.com/changelog/bugfix-webhook-associationchanges).
 * UNVERIFIED against a live portal: that generic events always carry both *ObjectTypeId
 * fields, the exact name `associationRemoved` (absent counts as added) and that
 * engagement associations fire on a contact subscription; hence the fallbacks.
 * An association touching a contact is about that contact (its score, its SLA first
 * touch); one without a contact side is ignored.
 */
function describeAssociation(prefix: string, e: WebhookEvent): EventDescription | undefined {
  if (e.fromObjectId === undefined || e.toObjectId === undefined) return undefined;
  const [fromUpper, toUpper] = (e.associationType ?? '').split('_TO_', 2) as [string, string | undefined];
  const fromTypeId = e.fromObjectTypeId ?? LEGACY_PREFIX_TYPE_IDS[prefix] ?? UPPER_TYPE_IDS[fromUpper];
  const toTypeId = e.toObjectTypeId ?? (toUpper ? UPPER_TYPE_IDS[toUpper] : undefined);
  if (!fromTypeId || !toTypeId) return undefined;
  const ref = (objectTypeId: string, objectId: string): ObjectRef => ({ objectTypeId, kind: OBJECT_TYPE_IDS[objectTypeId], objectId });
  const association: AssociationDescription = { from: ref(fromTypeId, e.fromObjectId), to: ref(toTypeId, e.toObjectId), removed: e.associationRemoved === true };
  const contact = [association.from, association.to].find((r) => r.objectTypeId === CONTACT_TYPE_ID);
  if (!contact) return undefined;
  return { kind: 'contact', action: 'associationChange', objectId: contact.objectId, association };
}

/** The contact side(s) of an association change: one, or two for a contact ↔ contact association. */
export function contactSides(a: AssociationDescription): string[] {
  return [...new Set([a.from, a.to].filter((r) => r.objectTypeId === CONTACT_TYPE_ID).map((r) => r.objectId))];
}

/**
 * The inbox's idempotency key. HubSpot's eventId alone is "not guaranteed to be
 * unique", so the key is subscriptionId + eventId + occurredAt (the portal is the
 * other half of the unique constraint). Without those fields: a hash of the event's
 * content, minus attemptNumber, which changes on every redelivery. The two events
 * of one association (one per side) differ in from/to, so they never share a key.
 */
export function eventKey(e: WebhookEvent): string {
  if (e.subscriptionId !== undefined && e.eventId !== undefined) return `${e.subscriptionId}:${e.eventId}:${e.occurredAt}`;
  const { attemptNumber: _attempt, ...content } = e;
  return `sha256:${createHash('sha256').update(canonicalJson(content)).digest('hex')}`;
}

/**
 * HubSpot events are flat (an array of objects holding scalars and id arrays: depth
 * 3). Far deeper nesting is not a HubSpot batch, and from a few thousand levels on
 * it overflows the stack of the recursive helpers below and of PostgreSQL's jsonb
 * parser; that would be a 503 and a day of pointless retries, so it is a 400.
 */
export const MAX_WEBHOOK_NESTING = 64; // checked on the raw bytes before JSON.parse (platform/json-depth.ts)

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * PostgreSQL's jsonb cannot hold U+0000, nor a lone UTF-16 surrogate (JSON allows
 * the escape "\ud800"; jsonb refuses it as invalid input); HubSpot text may contain
 * either. NUL is dropped and lone surrogates become U+FFFD before storage rather than
 * failing the insert (which would make HubSpot retry the batch until it gives up).
 */
export function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') {
    const s = value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
    return s.replace(LONE_SURROGATE, '\ufffd');
  }
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [withoutNul(k) as string, withoutNul(v)]));
  }
  return value;
}
