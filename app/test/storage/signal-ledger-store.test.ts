import { expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/domain/types';
import { appendLedgerEntries, appendLedgersOfContacts, deleteLedgerOfContact, loadLedger, moveLedgerToSurvivor } from '../../src/storage/signal-ledger-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

const entry = (signalKey: string, occurredAt: number): LedgerEntry => ({ signalKey, kind: 'activity', occurredAt, details: { n: occurredAt } });

describeOnBothBackends('signal ledger store (signal_ledger)', (t) => {
  it('appends each signal once and loads ledgers per contact in occurrence order', async () => {
    await appendLedgerEntries(t.db, '1', '11', [entry('b', 200), entry('a', 100)], 5);
    await appendLedgerEntries(t.db, '1', '11', [{ ...entry('a', 100), details: { changed: true } }], 6);
    await appendLedgerEntries(t.db, '2', '11', [entry('other-portal', 1)], 5);
    const ledger = await loadLedger(t.db, '1', ['11', '12']);
    expect([...ledger.keys()]).toEqual(['11']);
    expect(ledger.get('11')).toEqual([entry('a', 100), entry('b', 200)]);
  });

  it('appends the ledgers of many contacts in a few statements, with the same once-only rule', async () => {
    await appendLedgerEntries(t.db, '4', '41', [{ ...entry('kept', 1), details: { first: true } }], 5);
    // 2,001 entries: more than one statement; a duplicate within the call keeps its first occurrence.
    const many = Array.from({ length: 1_000 }, (_, i) => ({ contactId: String(1_000 + i), entries: [entry('x', i), entry('y', i)] }));
    await appendLedgersOfContacts(t.db, '4', [{ contactId: '41', entries: [{ ...entry('kept', 1), details: { first: false } }, entry('new', 2), { ...entry('new', 2), details: { again: true } }] }, ...many], 7);
    const ledger = await loadLedger(t.db, '4', ['41', '1000', '1999']);
    expect(ledger.get('41')).toEqual([{ ...entry('kept', 1), details: { first: true } }, entry('new', 2)]);
    expect(ledger.get('1999')).toEqual([entry('x', 999), entry('y', 999)]);
    const n = await t.db.query<{ n: number }>('select count(*)::int as n from signal_ledger where portal_id = 4');
    expect(n.rows[0]!.n).toBe(2_002);
    await appendLedgersOfContacts(t.db, '4', [], 8); // nothing to write: no statement
  });

  it('merge moves signals to the survivor without counting one twice; privacy deletion removes a ledger', async () => {
    await appendLedgerEntries(t.db, '3', '30', [entry('shared', 1), entry('own', 2)], 5);
    await appendLedgerEntries(t.db, '3', '31', [entry('shared', 1), entry('merged-only', 3)], 5);
    await t.db.transaction((tx) => moveLedgerToSurvivor(tx, '3', '30', ['31']));
    const ledger = await loadLedger(t.db, '3', ['30', '31']);
    expect(ledger.get('30')!.map((e) => e.signalKey)).toEqual(['shared', 'own', 'merged-only']);
    expect(ledger.has('31')).toBe(false);
    await deleteLedgerOfContact(t.db, '3', '30');
    expect((await loadLedger(t.db, '3', ['30'])).size).toBe(0);
  });
});
