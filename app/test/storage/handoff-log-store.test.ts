import { expect, it } from 'vitest';
import type { PlannedHandoffLogEntry } from '../../src/domain/types';
import { appendHandoffLog, createHandoffLogReader, deleteHandoffLogOfContact, MAX_LOG_ROWS, repointHandoffLog } from '../../src/storage/handoff-log-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

const log = (dedupeKey: string, at: number, extra: Partial<PlannedHandoffLogEntry> = {}): PlannedHandoffLogEntry => ({ dedupeKey, action: 'handoff', details: {}, at, ...extra });

describeOnBothBackends('hand-off log store (handoff_log)', (t) => {
  it('logs each dedupe key once and lists the latest first', async () => {
    await appendHandoffLog(t.db, '1', '11', [log('h1', 100, { actorOwnerId: '7', toOwnerId: '8', reason: 'ready' }), log('h2', 200, { action: 'accept' })]);
    await appendHandoffLog(t.db, '1', '11', [log('h1', 999, { reason: 'retried' })]);
    const rows = await createHandoffLogReader(t.db).listForContacts('1', ['11', 'not-an-id']);
    expect(rows).toEqual([
      { contactId: '11', action: 'accept', actorOwnerId: null, toOwnerId: null, reason: null, at: 200, dedupeKey: 'h2' },
      { contactId: '11', action: 'handoff', actorOwnerId: '7', toOwnerId: '8', reason: 'ready', at: 100, dedupeKey: 'h1' },
    ]);
    expect(await createHandoffLogReader(t.db).listForContacts('1', ['not-an-id'])).toEqual([]);
    expect(await createHandoffLogReader(t.db).listForContacts('2', ['11'])).toEqual([]);
  });

  it('is bounded to the latest MAX_LOG_ROWS rows', async () => {
    await appendHandoffLog(t.db, '3', '31', Array.from({ length: MAX_LOG_ROWS + 1 }, (_, i) => log(`b${i}`, i)));
    const rows = await createHandoffLogReader(t.db).listForContacts('3', ['31']);
    expect(rows).toHaveLength(MAX_LOG_ROWS);
    expect(rows.at(-1)!.at).toBe(1);
  });

  it('merge re-points the merged records\' log; privacy deletion removes a contact\'s log', async () => {
    await appendHandoffLog(t.db, '4', '40', [log('m1', 1)]);
    await appendHandoffLog(t.db, '4', '41', [log('m2', 2)]);
    await t.db.transaction((tx) => repointHandoffLog(tx, '4', '40', ['41']));
    const reader = createHandoffLogReader(t.db);
    expect((await reader.listForContacts('4', ['40'])).map((r) => r.dedupeKey)).toEqual(['m2', 'm1']);
    await deleteHandoffLogOfContact(t.db, '4', '40');
    expect(await reader.listForContacts('4', ['40', '41'])).toEqual([]);
  });
});
