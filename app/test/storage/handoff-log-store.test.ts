import { expect, it } from 'vitest';
import type { PlannedHandoffLogEntry } from '../../src/domain/types';
import { anonymiseHandoffLogOfContact, appendHandoffLog, createHandoffLogReader, listHandoffLogWithDetails, MAX_LOG_ROWS, repointHandoffLog } from '../../src/storage/handoff-log-store';
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

  it('merge re-points the merged records\' log', async () => {
    await appendHandoffLog(t.db, '4', '40', [log('m1', 1)]);
    await appendHandoffLog(t.db, '4', '41', [log('m2', 2)]);
    await t.db.transaction((tx) => repointHandoffLog(tx, '4', '40', ['41']));
    const reader = createHandoffLogReader(t.db);
    expect((await reader.listForContacts('4', ['40'])).map((r) => r.dedupeKey)).toEqual(['m2', 'm1']);
  });

  it('privacy deletion anonymises a contact\'s log: the process facts stay under a surrogate id, nothing names the person', async () => {
    await appendHandoffLog(t.db, '5', '50', [
      log('handoff:50:c1', 1, { actorOwnerId: '7', toOwnerId: '8', routingPath: 'territory', reason: '山田様より予算確保の連絡', details: { bant: { budget: true }, score: 82, breakdown: { jobtitle: 30 }, forced: false, missing: ['timeline'], firstTouchDueAt: 99 } }),
      log('sla:first_touch:50:c1', 2, { action: 'sla_breached', toOwnerId: '8', details: { kind: 'first_touch', dueAt: 99 } }),
    ]);
    await appendHandoffLog(t.db, '5', '51', [log('handoff:51:c1', 3, { reason: 'other person' })]);
    expect(await t.db.transaction((tx) => anonymiseHandoffLogOfContact(tx, '5', '50', -123456))).toBe(2);
    // Redelivered privacy deletion: nothing left under the contact id.
    expect(await anonymiseHandoffLogOfContact(t.db, '5', '50', -999)).toBe(0);

    expect(await createHandoffLogReader(t.db).listForContacts('5', ['50'])).toEqual([]);
    const { rows } = await t.db.query<{ id: number; contact_id: number; action: string; actor_owner_id: string | null; to_owner_id: string | null; routing_path: string | null; reason: string | null; details: unknown; at: number; dedupe_key: string }>(
      'select id, contact_id, action, actor_owner_id, to_owner_id, routing_path, reason, details, at, dedupe_key from handoff_log where portal_id = 5 order by at',
    );
    const details = (d: unknown) => (typeof d === 'string' ? JSON.parse(d) : d);
    expect(rows.map((r) => ({ ...r, id: undefined, contact_id: Number(r.contact_id), at: Number(r.at), details: details(r.details) }))).toEqual([
      { id: undefined, contact_id: -123456, action: 'handoff', actor_owner_id: '7', to_owner_id: '8', routing_path: 'territory', reason: null, details: { forced: false, missing: ['timeline'], firstTouchDueAt: 99 }, at: 1, dedupe_key: `erased:${rows[0]!.id}` },
      { id: undefined, contact_id: -123456, action: 'sla_breached', actor_owner_id: null, to_owner_id: '8', routing_path: null, reason: null, details: { kind: 'first_touch', dueAt: 99 }, at: 2, dedupe_key: `erased:${rows[1]!.id}` },
      { id: undefined, contact_id: 51, action: 'handoff', actor_owner_id: null, to_owner_id: null, routing_path: null, reason: 'other person', details: {}, at: 3, dedupe_key: 'handoff:51:c1' },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/山田|bant|score|breakdown|:50:/);
    expect(await listHandoffLogWithDetails(t.db, '5', ['51'])).toHaveLength(1);
    await expect(anonymiseHandoffLogOfContact(t.db, '5', '51', 5)).rejects.toThrow(/negative/);
  });
});
