import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * HubSpot webhook events: a JSON array, up to 100 per POST, unordered, possibly
 * duplicated. Field names are HubSpot's own.
 * https://developers.hubspot.com/docs/api/webhooks#webhook-payloads
 *
 * The schema checks only the fields the pipeline relies on and keeps every other
 * field (looseObject), so a field HubSpot adds later is stored, not rejected.
 */
const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform((v) => String(v));
const epochMs = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

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
  fromObjectId: id.optional(),
  toObjectId: id.optional(),
  associationType: z.string().optional(),
  associationRemoved: z.boolean().optional(),
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
  /** The object the event is about; for merges, the surviving record. */
  objectId: string | undefined;
}

/** What an event is about, or undefined for subscription types the pipeline ignores. */
export function describeEvent(e: WebhookEvent): EventDescription | undefined {
  const [prefix, actionName] = e.subscriptionType.split('.', 2) as [string, string | undefined];
  if (!actionName || !ACTIONS.has(actionName as EventAction)) return undefined;
  const action = actionName as EventAction;
  const kind = prefix === 'object' ? (e.objectTypeId ? OBJECT_TYPE_IDS[e.objectTypeId] : undefined) : LEGACY_KINDS[prefix];
  if (!kind) return undefined;
  // Engagements matter when created or when a task's status changes (SLA first touch).
  if (kind !== 'contact' && kind !== 'company' && action !== 'creation' && !(kind === 'task' && action === 'propertyChange')) return undefined;
  if (kind === 'company' && action !== 'propertyChange') return undefined;
  const objectId = action === 'merge' ? (e.newObjectId ?? e.primaryObjectId ?? e.objectId) : e.objectId;
  return { kind, action, objectId };
}

/**
 * The inbox's idempotency key. HubSpot's eventId alone is "not guaranteed to be
 * unique", so the key is subscriptionId + eventId + occurredAt (the portal is the
 * other half of the unique constraint). Without those fields: a hash of the event's
 * content, minus attemptNumber, which changes on every redelivery.
 */
export function eventKey(e: WebhookEvent): string {
  if (e.subscriptionId !== undefined && e.eventId !== undefined) return `${e.subscriptionId}:${e.eventId}:${e.occurredAt}`;
  const { attemptNumber: _attempt, ...content } = e;
  return `sha256:${createHash('sha256').update(canonicalJson(content)).digest('hex')}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * PostgreSQL's jsonb cannot hold U+0000; HubSpot text may contain it. It is
 * dropped from strings before storage rather than failing the insert (which would
 * make HubSpot retry the batch until it gives up).
 */
export function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [withoutNul(k) as string, withoutNul(v)]));
  }
  return value;
}
