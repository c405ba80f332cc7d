/**
 * Turns what the snapshot shows into ledger entries with deterministic keys, and
 * merges them with the ledger. The score is a function of the merged set only, so a
 * duplicate, late or out-of-order delivery gives the same result: the merge is a set
 * union keyed by signal key, and when two deliveries disagree about one key the
 * earliest `occurredAt` wins (a commutative, idempotent choice).
 */
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { ContactSnapshot, LedgerEntry, PortalDirectory } from './types';
import { isActiveIn } from './departments';
import { parseHubSpotNumber, parseHubSpotTime } from './hubspot-values';

/** Same submission seen as history entries of two properties: they are written together, within this window. */
const PAIRING_WINDOW_MS = 60_000;

export function formSignalKey(title: string, conversionAt: number): string {
  return `form:${title}:${conversionAt}`;
}

function formSubmissions(snapshot: ContactSnapshot): LedgerEntry[] {
  const props = snapshot.contact.properties;
  const out: LedgerEntry[] = [];
  const add = (title: string | null | undefined, at: number | undefined) => {
    const t = title?.trim();
    if (!t || at === undefined) return;
    out.push({ signalKey: formSignalKey(t, at), kind: 'form_submission', occurredAt: at, details: { title: t } });
  };
  const names = snapshot.contactHistory?.recent_conversion_event_name ?? [];
  const dates = snapshot.contactHistory?.recent_conversion_date ?? [];
  for (const name of names) {
    // The date written in the same update as the name; else the moment the name was written.
    let best: { value: string; timestamp: number } | undefined;
    for (const d of dates) {
      const gap = Math.abs(d.timestamp - name.timestamp);
      if (gap <= PAIRING_WINDOW_MS && (!best || gap < Math.abs(best.timestamp - name.timestamp))) best = d;
    }
    add(name.value, parseHubSpotTime(best?.value) ?? name.timestamp);
  }
  // Without history (or beyond it) the current and first conversions are still known.
  add(props.recent_conversion_event_name, parseHubSpotTime(props.recent_conversion_date));
  add(props.first_conversion_event_name, parseHubSpotTime(props.first_conversion_date));
  return out;
}

function emailOpens(snapshot: ContactSnapshot, ledger: LedgerEntry[], now: number): LedgerEntry[] {
  const count = Math.floor(parseHubSpotNumber(snapshot.contact.properties.hs_email_open) ?? 0);
  const at = parseHubSpotTime(snapshot.contact.properties.hs_email_last_open_date) ?? now;
  // Opens already in the ledger keep their original date; only the new ones are dated now.
  const known = new Set(ledger.filter((e) => e.kind === 'email_open').map((e) => e.signalKey));
  const out: LedgerEntry[] = [];
  for (let n = 1; n <= Math.min(count, 10_000); n++) {
    const key = `email_open:${n}`;
    if (!known.has(key)) out.push({ signalKey: key, kind: 'email_open', occurredAt: at, details: {} });
  }
  return out;
}

function seminars(snapshot: ContactSnapshot): LedgerEntry[] {
  return (snapshot.eventParticipations ?? [])
    .filter((p) => p.state === 'ATTENDED')
    .map((p) => ({ signalKey: `event:${p.eventId}`, kind: 'seminar_attended' as const, occurredAt: p.occurredAt, details: { eventName: p.eventName } }));
}

function insideSalesCalls(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory): LedgerEntry[] {
  return (snapshot.activities ?? [])
    .filter((a) => a.type === 'call' && isActiveOrArchivedIs(a.ownerId, settings, directory))
    .map((a) => ({ signalKey: `call:${a.id}`, kind: 'is_first_call' as const, occurredAt: a.timestamp, details: { ownerId: a.ownerId } }));
}

/** A call by someone who was in IS counts even if they left since: the call happened. */
function isActiveOrArchivedIs(ownerId: string | null, settings: PortalSettings, directory: PortalDirectory): boolean {
  if (!ownerId) return false;
  const unarchived = { ...directory, owners: directory.owners.map((o) => (o.id === ownerId ? { ...o, archived: false } : o)) };
  return isActiveIn(unarchived, ownerId, 'inside_sales', settings.departments);
}

/** Everything the snapshot shows, as ledger entries (may repeat the ledger; the merge de-duplicates). */
export function observeSignals(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: number): LedgerEntry[] {
  return [
    ...snapshot.observations,
    ...formSubmissions(snapshot),
    ...emailOpens(snapshot, snapshot.ledger, now),
    ...seminars(snapshot),
    ...insideSalesCalls(snapshot, settings, directory),
  ];
}

function preferred(a: LedgerEntry, b: LedgerEntry): LedgerEntry {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? a : b;
  return JSON.stringify(a) <= JSON.stringify(b) ? a : b;
}

/** Union by signal key, sorted by key so every later fold is order-independent. */
export function mergeSignals(...lists: LedgerEntry[][]): LedgerEntry[] {
  const byKey = new Map<string, LedgerEntry>();
  for (const list of lists) {
    for (const e of list) {
      const had = byKey.get(e.signalKey);
      byKey.set(e.signalKey, had ? preferred(had, e) : e);
    }
  }
  return [...byKey.values()].sort((a, b) => (a.signalKey < b.signalKey ? -1 : a.signalKey > b.signalKey ? 1 : 0));
}

/** Observed entries whose key the ledger does not have yet (what the applier appends). */
export function newLedgerEntries(ledger: LedgerEntry[], observed: LedgerEntry[]): LedgerEntry[] {
  const known = new Set(ledger.map((e) => e.signalKey));
  return mergeSignals(observed).filter((e) => !known.has(e.signalKey));
}
