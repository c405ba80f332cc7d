import type { WrittenValues } from '../storage/written-values-store';
import type { WebhookEvent } from '../domain/webhook-event';

// The values are stored by app/src/storage/written-values-store.ts; the callers load them from here.
export { loadWrittenValues, recordWrittenValues, type WrittenValues } from '../storage/written-values-store';

/**
 * Our own CRM writes come back as webhooks. They are recognised and skipped
 * before any HubSpot read, so they cause no loop and cost no API call:
 * - the event names our app as its source (`sourceId` = our appId; HubSpot sets
 *   changeSource INTEGRATION for app writes), or
 * - the property now holds exactly the value we last wrote (works without an
 *   appId, e.g. in the local sandbox, and for sources HubSpot labels differently).
 * https://developers.hubspot.com/docs/api/webhooks#webhook-payloads
 */
export function isOwnWrite(event: WebhookEvent, appId: string | undefined, written: WrittenValues): boolean {
  if (appId !== undefined && event.sourceId !== undefined && (event.sourceId === appId || event.sourceId === `app:${appId}`)) return true;
  if (event.propertyName === undefined || event.objectId === undefined || event.propertyValue === undefined || event.propertyValue === null) return false;
  const last = written.get(`${event.objectId}:${event.propertyName}`);
  return last !== undefined && last === String(event.propertyValue);
}
