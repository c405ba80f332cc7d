import { readFileSync } from 'node:fs';
import { OBJECT_TYPE_INFO, objectTypeBySingular, type ObjectType } from './object-types';
import type { CrmChange } from './crm-store';

/**
 * The app's webhook subscriptions, read from src/app/webhooks/webhooks-hsmeta.json at
 * start-up (as HubSpot reads them at project upload), and the HubSpot event payloads
 * built from CRM changes.
 * Generic `object.*` payloads (objectTypeId): https://developers.hubspot.com/docs/guides/webhooks/create-generic-webhook-subscriptions
 * Legacy payload fields: https://developers.hubspot.com/docs/api/webhooks#webhook-payloads
 */
export type ChangeKind = CrmChange['kind'];

export interface Subscription {
  id: number;
  subscriptionType: string;
  kind: ChangeKind;
  /** undefined for hub events without an object type filter. */
  objectType: ObjectType;
  propertyName?: string;
  generic: boolean;
}

export interface WebhookSettings {
  maxConcurrentRequests: number;
}

/** An event before delivery (attemptNumber is set per attempt). */
export interface QueuedWebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  changeSource: string;
  sourceId?: string;
  [field: string]: unknown;
}

export interface WebhookEvent extends QueuedWebhookEvent {
  attemptNumber: number;
}

/** Subscription ids are stable per position in the file, so redeploys keep them. */
const SUBSCRIPTION_ID_BASE = 4_100_000;
const KINDS: ChangeKind[] = ['creation', 'deletion', 'propertyChange', 'merge', 'restore', 'associationChange', 'privacyDeletion'];

interface HsmetaEntry {
  subscriptionType?: string;
  objectType?: string;
  objectName?: string;
  propertyName?: string;
  active?: boolean;
}

export function loadSubscriptions(file: string): { subscriptions: Subscription[]; settings: WebhookSettings } {
  let json: { config?: { settings?: { maxConcurrentRequests?: number }; subscriptions?: Record<string, HsmetaEntry[]> } };
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`sandbox: cannot read the webhook subscriptions from ${file} (${(err as Error).message}); pass options.webhooksHsmetaFile or fix the file`);
  }
  const groups = json.config?.subscriptions ?? {};
  const entries: (HsmetaEntry & { group: string })[] = [];
  for (const group of ['crmObjects', 'legacyCrmObjects', 'hubEvents']) for (const e of groups[group] ?? []) entries.push({ ...e, group });
  const subscriptions: Subscription[] = [];
  entries.forEach((e, i) => {
    if (e.active === false || !e.subscriptionType) return;
    const [prefix, kindRaw] = e.subscriptionType.split('.') as [string, string];
    const kind = KINDS.find((k) => k === kindRaw);
    if (!kind) throw new Error(`sandbox: ${file}: subscription type ${e.subscriptionType} is not emulated (supported: ${KINDS.join(', ')})`);
    const generic = prefix === 'object';
    const singular = generic ? (e.objectType ?? e.objectName ?? '') : prefix;
    const objectType = objectTypeBySingular(singular);
    if (!objectType) throw new Error(`sandbox: ${file}: object type "${singular}" of ${e.subscriptionType} is not emulated; use one of ${Object.values(OBJECT_TYPE_INFO).map((x) => x.singular).join(', ')}`);
    if (kind === 'propertyChange' && !e.propertyName) throw new Error(`sandbox: ${file}: ${e.subscriptionType} for ${singular} needs a propertyName`);
    subscriptions.push({ id: SUBSCRIPTION_ID_BASE + i, subscriptionType: e.subscriptionType, kind, objectType, ...(e.propertyName ? { propertyName: e.propertyName } : {}), generic });
  });
  return { subscriptions, settings: { maxConcurrentRequests: json.config?.settings?.maxConcurrentRequests ?? 10 } };
}

/** The events HubSpot would send for one change (one per matching subscription); attemptNumber is set at delivery. */
export function eventsForChange(change: CrmChange, subscriptions: Subscription[], ids: { nextEventId(): number; appId: number }): QueuedWebhookEvent[] {
  const out: QueuedWebhookEvent[] = [];
  for (const s of subscriptions) {
    if (s.kind !== change.kind || s.objectType !== change.objectType) continue;
    if (change.kind === 'propertyChange' && s.propertyName !== change.propertyName) continue;
    const base: QueuedWebhookEvent = {
      eventId: ids.nextEventId(),
      subscriptionId: s.id,
      portalId: change.portalId,
      appId: ids.appId,
      occurredAt: change.occurredAt,
      subscriptionType: s.subscriptionType,
      changeSource: change.source.changeSource,
      ...(change.source.sourceId ? { sourceId: change.source.sourceId } : {}),
    };
    const typeId = OBJECT_TYPE_INFO[change.objectType].typeId;
    switch (change.kind) {
      case 'associationChange': {
        const from = OBJECT_TYPE_INFO[change.objectType];
        const to = OBJECT_TYPE_INFO[change.toObjectType];
        out.push({
          ...base,
          associationType: `${from.upper}_TO_${to.upper}`,
          associationTypeId: change.associationTypeId,
          associationCategory: change.associationCategory,
          fromObjectId: Number(change.objectId),
          toObjectId: Number(change.toObjectId),
          ...(s.generic ? { fromObjectTypeId: from.typeId, toObjectTypeId: to.typeId } : {}),
          associationRemoved: change.associationRemoved,
          isPrimaryAssociation: change.isPrimaryAssociation,
        });
        break;
      }
      case 'merge':
        out.push({
          ...base,
          objectId: Number(change.objectId),
          ...(s.generic ? { objectTypeId: typeId } : {}),
          primaryObjectId: Number(change.primaryObjectId),
          mergedObjectIds: change.mergedObjectIds.map(Number),
          newObjectId: Number(change.newObjectId),
          numberOfPropertiesMoved: change.numberOfPropertiesMoved,
        });
        break;
      case 'propertyChange':
        out.push({ ...base, objectId: Number(change.objectId), ...(s.generic ? { objectTypeId: typeId } : {}), propertyName: change.propertyName, propertyValue: change.propertyValue, isSensitive: false });
        break;
      default:
        out.push({ ...base, objectId: Number(change.objectId), ...(s.generic ? { objectTypeId: typeId } : {}) });
    }
  }
  return out;
}
