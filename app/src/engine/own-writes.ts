import type { Queryable } from '../storage/database';
import type { WebhookEvent } from '../domain/webhook-event';

/**
 * Our own CRM writes come back as webhooks. They are recognised and skipped
 * before any HubSpot read, so they cause no loop and cost no API call:
 * - the event names our app as its source (`sourceId` = our appId; HubSpot sets
 *   changeSource INTEGRATION for app writes), or
 * - the property now holds exactly the value we last wrote (works without an
 *   appId, e.g. in the local sandbox, and for sources HubSpot labels differently).
 * https://developers.hubspot.com/docs/api/webhooks#webhook-payloads
 */
export async function recordWrittenValues(
  db: Queryable,
  portalId: string,
  updates: readonly { id: string; properties: Record<string, string> }[],
  now: number,
): Promise<void> {
  const rows = updates.flatMap((u) => Object.entries(u.properties).map(([name, value]) => [u.id, name, value] as const));
  for (let i = 0; i < rows.length; i += 1000) {
    const group = rows.slice(i, i + 1000);
    const params: unknown[] = [portalId, now];
    const values = group.map(([id, name, value]) => {
      params.push(id, name, value);
      const n = params.length;
      return `($1, $${n - 2}, $${n - 1}, $${n}, $2)`;
    });
    await db.query(
      `insert into pipeline_written_values (portal_id, object_id, property_name, value, written_at) values ${values.join(', ')}
       on conflict (portal_id, object_id, property_name) do update set value = excluded.value, written_at = excluded.written_at`,
      params,
    );
  }
}

export type WrittenValues = Map<string, string>;

export async function loadWrittenValues(db: Queryable, portalId: string, objectIds: readonly string[]): Promise<WrittenValues> {
  const out: WrittenValues = new Map();
  if (objectIds.length === 0) return out;
  const res = await db.query<{ object_id: number; property_name: string; value: string }>(
    'select object_id, property_name, value from pipeline_written_values where portal_id = $1 and object_id = any($2::bigint[])',
    [portalId, [...new Set(objectIds)]],
  );
  for (const r of res.rows) out.set(`${r.object_id}:${r.property_name}`, r.value);
  return out;
}

export function isOwnWrite(event: WebhookEvent, appId: string | undefined, written: WrittenValues): boolean {
  if (appId !== undefined && event.sourceId !== undefined && (event.sourceId === appId || event.sourceId === `app:${appId}`)) return true;
  if (event.propertyName === undefined || event.objectId === undefined || event.propertyValue === undefined || event.propertyValue === null) return false;
  const last = written.get(`${event.objectId}:${event.propertyName}`);
  return last !== undefined && last === String(event.propertyValue);
}
