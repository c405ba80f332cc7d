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
      // Prepared once per connection and row count: HubSpot sends up to 100 events per request, so a
      // handful of shapes; planning a 900-parameter insert was a measurable share of the ack (README,
      // "Performance and reliability").
      { name: `tossup_inbox_insert_${group.length}` },
    );
    for (const r of res.rows) {
      if (r.status === 'ignored') ignored++;
      else stored++;
    }
  }
  return { stored, ignored, duplicates: events.length - stored - ignored };
}

/**
 * The contacts among `contactIds` with an event still pending (not yet claimed): the
 * worker will read them fresh anyway, so the reconciliation sweep does not queue them
 * again (app/src/worker/reconcile-sweep.ts). Events already being processed do not
 * count: their read may predate the modification the sweep found.
 */
export async function findContactsPendingInInbox(db: Queryable, portalId: string, contactIds: readonly string[]): Promise<Set<string>> {
  if (contactIds.length === 0) return new Set();
  const res = await db.query<{ object_id: number | string }>(
    `select distinct object_id from webhook_inbox where portal_id = $1 and object_type = 'contact' and status = 'pending' and object_id = any($2::bigint[])`,
    [portalId, [...new Set(contactIds)]],
  );
  return new Set(res.rows.map((r) => String(r.object_id)));
}

/** One pending inbox event as the worker drains it. */
export interface InboxRow {
  id: number;
  payload: WebhookEvent;
  attempts: number;
}

/**
 * Portals with pending events due at `now`, at most `limit`. Portals that were
 * uninstalled or disconnected are skipped entirely; their events stay pending until
 * a reinstall (the OAuth code owns `installs`).
 */
export async function listDueInboxPortals(db: Queryable, now: number, limit = 100): Promise<string[]> {
  const res = await db.query<{ portal_id: number }>(
    `select distinct w.portal_id from webhook_inbox w
     where w.status = 'pending' and w.next_attempt_at <= $1
       and not exists (select 1 from installs i where i.portal_id = w.portal_id and i.status <> 'active')
     limit $2`,
    [now, limit],
  );
  return res.rows.map((r) => String(r.portal_id));
}

/** When a portal's pending events have settled enough to be read (the coalescing window, app/src/worker/inbox-worker.ts). */
export interface SettleWindow {
  /** Due once the portal's newest due pending event was received at least this long ago (the burst paused)… */
  quietMs: number;
  /** …or once its oldest due pending event was received at least this long ago (a sustained stream still moves). */
  maxWaitMs: number;
}

/**
 * Like listDueInboxPortals, but only portals whose due events have settled: a burst is
 * read once its events stopped arriving for `quietMs`, or every `maxWaitMs` while it
 * lasts, so a hot contact's late events join one evaluation instead of each batch
 * re-reading it. Times are `received_at`, the backend clock's time of storage, not
 * HubSpot's `occurredAt` (a redelivery is old by occurrence and new to us).
 */
export async function listSettledInboxPortals(db: Queryable, now: number, window: SettleWindow, limit = 100): Promise<string[]> {
  const res = await db.query<{ portal_id: number }>(
    `select w.portal_id from webhook_inbox w
     where w.status = 'pending' and w.next_attempt_at <= $1
       and not exists (select 1 from installs i where i.portal_id = w.portal_id and i.status <> 'active')
     group by w.portal_id
     having max(w.received_at) <= $2 or min(w.received_at) <= $3
     limit $4`,
    [now, now - window.quietMs, now - window.maxWaitMs, limit],
  );
  return res.rows.map((r) => String(r.portal_id));
}

export interface LoadBatchOptions {
  /** Only events received at or before this time (a settled drain leaves later arrivals to the next window). */
  receivedBy?: number;
}

/**
 * The portal's next due pending events, contact-complete and contact-full:
 *
 *  1. the window: the oldest due events, up to (1 + FOLLOWERS_PER_HEAD) × `batchSize`;
 *  2. the heads: the first `batchSize` of them, whatever they are about;
 *  3. more contacts: walking on through the window, the events of contacts not yet held,
 *     until the batch holds `batchSize` contacts (events of held contacts are always taken);
 *  4. the followers: every other due event of the held contacts beyond the window.
 *
 * Step 3 is what keeps the API cost at C_min (app/dev/bench/README.md, "Coalesce and
 * batch"): each batch pays its own partial ⌈n/100⌉ reads, updates and creates, so a burst of
 * 10,000 events over 2,000 contacts whose first 2,000 events touch only ~1,260 of them was
 * drained in two batches of 1,260 and 740 contacts — 13 + 8 contact reads instead of 20, and
 * the same for updates, companies, deals and tasks (issue 19). With step 3 it is one batch of
 * 2,000 contacts. Step 4 keeps a contact's events together, so a later batch does not read the
 * contact again. The batch stays bounded, (1 + FOLLOWERS_PER_HEAD) × `batchSize` events at most
 * (10,000 with the default 2,000); a contact cut there is simply read again in the next batch.
 * The cap is that generous because bursts are skewed: in the bench's Zipf burst (10k events
 * over 2k contacts) the contacts of the first 2,000 events hold most of the other 8,000.
 * Rows come back in occurrence order: the window's, then the followers.
 */
export const FOLLOWERS_PER_HEAD = 4;

export async function loadPendingInboxBatch(db: Queryable, portalId: string, now: number, batchSize: number, options: LoadBatchOptions = {}): Promise<InboxRow[]> {
  const receivedBy = options.receivedBy ?? Number.MAX_SAFE_INTEGER;
  const cap = (1 + FOLLOWERS_PER_HEAD) * batchSize;
  // The window without payloads: events it does not take are not loaded (worker RSS).
  const window = await db.query<{ id: number | string; object_type: string | null; object_id: number | string | null }>(
    `select id, object_type, object_id from webhook_inbox
     where portal_id = $1 and status = 'pending' and next_attempt_at <= $2 and received_at <= $3
     order by occurred_at, id limit $4`,
    [portalId, now, receivedBy, cap],
  );
  const held = new Set<string>();
  const taken: number[] = [];
  window.rows.forEach((r, i) => {
    const contact = r.object_type === 'contact' && r.object_id !== null ? String(r.object_id) : undefined;
    if (i < batchSize || (contact && (held.has(contact) || held.size < batchSize))) {
      taken.push(Number(r.id));
      if (contact) held.add(contact);
    }
  });
  if (taken.length === 0) return [];
  const loaded = await db.query<InboxRow>(
    `select id, payload, attempts from webhook_inbox where portal_id = $1 and id = any($2::bigint[]) order by occurred_at, id`,
    [portalId, taken],
  );
  const rows = loaded.rows.map((r) => ({ ...r, id: Number(r.id) }));
  // A window shorter than the cap holds every due event: nothing follows.
  if (held.size === 0 || window.rows.length < cap || rows.length >= cap) return rows;
  const followers = await db.query<InboxRow>(
    `select id, payload, attempts from webhook_inbox
     where portal_id = $1 and object_id = any($2::bigint[]) and object_type = 'contact' and status = 'pending'
       and next_attempt_at <= $3 and received_at <= $4 and not (id = any($5::bigint[]))
     order by occurred_at, id limit $6`,
    [portalId, [...held], now, receivedBy, window.rows.map((r) => Number(r.id)), cap - rows.length],
  );
  return [...rows, ...followers.rows.map((r) => ({ ...r, id: Number(r.id) }))];
}

/** Marks events done (run it in the transaction that applied their plans). */
export async function markInboxEventsDone(tx: Queryable, portalId: string, ids: readonly number[], now: number): Promise<void> {
  await tx.query(`update webhook_inbox set status = $3, processed_at = $4, last_error = null where portal_id = $1 and id = any($2::bigint[])`, [
    portalId,
    ids,
    'done',
    now,
  ]);
}

/** Puts events off until `nextAttemptAt` without using one of their attempts. */
export async function deferInboxEvents(db: Queryable, portalId: string, ids: readonly number[], nextAttemptAt: number, lastError: string): Promise<void> {
  await db.query('update webhook_inbox set next_attempt_at = $3, last_error = $4 where portal_id = $1 and id = any($2::bigint[])', [
    portalId,
    ids,
    nextAttemptAt,
    lastError,
  ]);
}

export interface InboxFailure {
  message: string;
  now: number;
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** In [0, 1): the jitter, as 0.5 + random × 0.5 of the backoff. */
  random: number;
}

/**
 * Counts one failed attempt on the still-pending events: exponential backoff with
 * jitter, capped at maxBackoffMs; at maxAttempts the event is parked (kept with its
 * error, never dropped). Returns the new status of each event it touched.
 */
export async function recordInboxFailure(db: Queryable, portalId: string, ids: readonly number[], f: InboxFailure): Promise<Array<'pending' | 'parked'>> {
  const res = await db.query<{ status: 'pending' | 'parked' }>(
    `update webhook_inbox set
       attempts = attempts + 1,
       last_error = $3,
       status = case when attempts + 1 >= $4 then 'parked' else status end,
       next_attempt_at = $5 + least($6::bigint, ($7::bigint * power(2, attempts))::bigint * (0.5 + $8::float8 * 0.5))::bigint
     where portal_id = $1 and id = any($2::bigint[]) and status = 'pending'
     returning status`,
    [portalId, ids, f.message.slice(0, 2000), f.maxAttempts, f.now, f.maxBackoffMs, f.baseBackoffMs, f.random],
  );
  return res.rows.map((r) => r.status);
}

/** Pending and parked event counts (statuses with no event are absent). */
export async function countInboxByStatus(db: Queryable): Promise<Array<{ status: string; n: number }>> {
  const res = await db.query<{ status: string; n: number }>(
    `select status, count(*)::int as n from webhook_inbox where status in ('pending', 'parked') group by status`,
  );
  return res.rows;
}

/**
 * Privacy deletion: empties the stored payloads (which may hold property values) of
 * the contact's events, except those of the batch being processed.
 */
export async function scrubInboxPayloadsOfContact(tx: Queryable, portalId: string, contactId: string, keepIds: readonly number[]): Promise<void> {
  await tx.query(`update webhook_inbox set payload = '{}'::jsonb where portal_id = $1 and object_id = $2 and not (id = any($3::bigint[]))`, [
    portalId,
    contactId,
    keepIds,
  ]);
}

/**
 * Parks events at once (poison isolation, worker/isolate-poison.ts): a failure that
 * cannot succeed on retry, isolated to these events. Kept with the error, never
 * dropped; one attempt is counted. Returns how many were parked.
 */
export async function parkInboxEvents(db: Queryable, portalId: string, ids: readonly number[], lastError: string): Promise<number> {
  const res = await db.query(
    `update webhook_inbox set status = 'parked', attempts = attempts + 1, last_error = $3
     where portal_id = $1 and id = any($2::bigint[]) and status = 'pending'`,
    [portalId, ids, lastError.slice(0, 2000)],
  );
  return res.rowCount;
}

/**
 * Retention, step 1 (worker/retention-job.ts): empties the payloads (which may hold
 * property values) of events processed before `before`. The row and its event key
 * stay, so a late redelivery is still recognised as a duplicate. At most `limit` rows
 * per call, so each statement holds its locks briefly.
 */
export async function scrubProcessedInboxPayloads(db: Queryable, before: number, limit: number): Promise<number> {
  const res = await db.query(
    `update webhook_inbox set payload = '{}'::jsonb where id in (
       select id from webhook_inbox where status in ('done', 'ignored') and processed_at < $1 and payload <> '{}'::jsonb limit $2)`,
    [before, limit],
  );
  return res.rowCount;
}

/** Retention, step 2: deletes events processed before `before` (at most `limit`). Parked events are kept. */
export async function deleteProcessedInboxEvents(db: Queryable, before: number, limit: number): Promise<number> {
  const res = await db.query(
    `delete from webhook_inbox where id in (
       select id from webhook_inbox where status in ('done', 'ignored') and processed_at < $1 limit $2)`,
    [before, limit],
  );
  return res.rowCount;
}

export type AbsentPortalReason = 'uninstalled' | 'never_installed';

/**
 * Deletes waiting events (pending or parked) received before `before` of portals that
 * uninstalled the app or never installed it (no `installs` row): nobody will ever
 * process them. A disconnected portal's events wait for the reconnect. At most `limit`
 * rows per call; returns how many went, by reason.
 */
export async function dropInboxEventsOfAbsentPortals(db: Queryable, before: number, limit: number): Promise<Record<AbsentPortalReason, number>> {
  const res = await db.query<{ reason: AbsentPortalReason; n: number }>(
    `with doomed as (
       select w.id, case when i.portal_id is null then 'never_installed' else 'uninstalled' end as reason
       from webhook_inbox w left join installs i on i.portal_id = w.portal_id
       where w.status in ('pending', 'parked') and w.received_at < $1 and (i.portal_id is null or i.status = 'uninstalled')
       limit $2),
     gone as (delete from webhook_inbox w using doomed d where w.id = d.id returning d.reason)
     select reason, count(*)::int as n from gone group by reason`,
    [before, limit],
  );
  const out: Record<AbsentPortalReason, number> = { uninstalled: 0, never_installed: 0 };
  for (const r of res.rows) out[r.reason] = Number(r.n);
  return out;
}
