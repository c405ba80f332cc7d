/**
 * `signal_ledger` (0001_foundation.sql): every scoring signal counted for a contact,
 * keyed (portal, contact, signal_key) so a signal seen twice (a redelivered webhook,
 * a re-read) is counted once. The only SQL for the table.
 */
import type { LedgerEntry, SignalKind } from '../domain/types';
import type { Queryable } from './database';

/** Rows per INSERT: five arrays of this length, one statement. */
const ROWS_PER_STATEMENT = 2_000;

/** Appends entries; a signal already in the contact's ledger is left as it is. */
export async function appendLedgerEntries(tx: Queryable, portalId: string, contactId: string, entries: readonly LedgerEntry[], now: number): Promise<void> {
  await appendLedgersOfContacts(tx, portalId, [{ contactId, entries }], now);
}

/**
 * Appends the entries of many contacts in a few statements (a worker batch writes
 * thousands: one INSERT per entry was most of a 2,000-event batch's transaction under
 * load). Same rule: a signal already in a contact's ledger, or earlier in this call, is
 * left as it is.
 */
export async function appendLedgersOfContacts(tx: Queryable, portalId: string, items: readonly { contactId: string; entries: readonly LedgerEntry[] }[], now: number): Promise<void> {
  const rows = items.flatMap((item) => item.entries.map((e) => ({ contactId: item.contactId, e })));
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    await tx.query(
      `insert into signal_ledger (portal_id, contact_id, signal_key, kind, occurred_at, details, recorded_at)
       select $1, u.contact_id, u.signal_key, u.kind, u.occurred_at, u.details::jsonb, $7
       from unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[]) with ordinality as u(contact_id, signal_key, kind, occurred_at, details, n)
       order by u.n
       on conflict (portal_id, contact_id, signal_key) do nothing`,
      [
        portalId,
        chunk.map((r) => r.contactId),
        chunk.map((r) => r.e.signalKey),
        chunk.map((r) => r.e.kind),
        chunk.map((r) => r.e.occurredAt),
        chunk.map((r) => JSON.stringify(r.e.details)),
        now,
      ],
    );
  }
}

/** The ledgers of these contacts in occurrence order, by contact id (contacts without entries are absent). */
export async function loadLedger(db: Queryable, portalId: string, contactIds: readonly string[]): Promise<Map<string, LedgerEntry[]>> {
  const res = await db.query<{ contact_id: number; signal_key: string; kind: SignalKind; occurred_at: number; details: Record<string, unknown> }>(
    'select contact_id, signal_key, kind, occurred_at, details from signal_ledger where portal_id = $1 and contact_id = any($2::bigint[]) order by occurred_at',
    [portalId, contactIds],
  );
  const out = new Map<string, LedgerEntry[]>();
  for (const r of res.rows) {
    const id = String(r.contact_id);
    const list = out.get(id) ?? [];
    list.push({ signalKey: r.signal_key, kind: r.kind, occurredAt: r.occurred_at, details: r.details });
    out.set(id, list);
  }
  return out;
}

export async function deleteLedgerOfContact(tx: Queryable, portalId: string, contactId: string): Promise<void> {
  await tx.query('delete from signal_ledger where portal_id = $1 and contact_id = $2', [portalId, contactId]);
}

/** Merge: the merged records' signals move to the survivor (a signal it already has is not counted again). */
export async function moveLedgerToSurvivor(tx: Queryable, portalId: string, survivorId: string, mergedIds: readonly string[]): Promise<void> {
  await tx.query(
    `insert into signal_ledger (portal_id, contact_id, signal_key, kind, occurred_at, details, recorded_at)
     select portal_id, $2, signal_key, kind, occurred_at, details, recorded_at from signal_ledger
     where portal_id = $1 and contact_id = any($3::bigint[])
     on conflict (portal_id, contact_id, signal_key) do nothing`,
    [portalId, survivorId, mergedIds],
  );
  await tx.query('delete from signal_ledger where portal_id = $1 and contact_id = any($2::bigint[])', [portalId, mergedIds]);
}
