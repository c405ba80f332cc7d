import type { Queryable } from './database';
import { describeEvent, eventKey, withoutNul, type WebhookEvent } from '../domain/webhook-event';

export interface InboxInsertResult {
  stored: number;
  duplicates: number;
  ignored: number;
}

/** Rows per INSERT statement (9 parameters each, well under PostgreSQL's 65,535). */
const ROWS_PER_STATEMENT = 500;

/**
 * Durably records a webhook batch in webhook_inbox. Idempotent: the unique key
 * (portal_id, event_key) with ON CONFLICT DO NOTHING means a redelivered batch adds
 * nothing. Subscription types the pipeline does not act on are stored as
 * `ignored`, so HubSpot still gets its 2xx and we keep a trace.
 *
 * `source` lets the reconciliation sweep feed contacts through the same inbox.
 */
export async function storeWebhookEvents(db: Queryable, events: readonly WebhookEvent[], now: number): Promise<InboxInsertResult> {
  const rows = new Map<string, { portalId: string; key: string; event: WebhookEvent; status: 'pending' | 'ignored' }>();
  for (const event of events) {
    const key = eventKey(event);
    const status = describeEvent(event) ? 'pending' : 'ignored';
    rows.set(`${event.portalId}\u0000${key}`, { portalId: event.portalId, key, event, status });
  }
  // Inserted in key order: two concurrent POSTs carrying the same events (HubSpot's
  // redeliveries) then take the unique-index locks in the same order, so one waits for
  // the other instead of deadlocking (a deadlock is a 503 and a redelivery storm).
  const unique = [...rows.values()].sort((a, b) => (a.portalId === b.portalId ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.portalId < b.portalId ? -1 : 1));
  let stored = 0;
  let ignored = 0;
  for (let i = 0; i < unique.length; i += ROWS_PER_STATEMENT) {
    const group = unique.slice(i, i + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    const values = group.map((r) => {
      const d = describeEvent(r.event);
      params.push(
        r.portalId,
        r.key,
        r.event.subscriptionType,
        d?.kind ?? null,
        d?.objectId ?? r.event.objectId ?? null,
        r.event.occurredAt,
        JSON.stringify(withoutNul(r.event)),
        r.status,
        now,
      );
      const b = params.length - 9;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}::jsonb, $${b + 8}, $${b + 9}, case when $${b + 8} = 'ignored' then $${b + 9}::bigint end)`;
    });
    const res = await db.query<{ status: string }>(
      `insert into webhook_inbox (portal_id, event_key, subscription_type, object_type, object_id, occurred_at, payload, status, received_at, processed_at)
       values ${values.join(', ')}
       on conflict (portal_id, event_key) do nothing
       returning status`,
      params,
    );
    for (const r of res.rows) {
      if (r.status === 'ignored') ignored++;
      else stored++;
    }
  }
  return { stored, ignored, duplicates: events.length - stored - ignored };
}
