import { beforeEach, expect, it } from 'vitest';
import type { WebhookEvent } from '../../src/domain/webhook-event';
import {
  countInboxByStatus,
  deferInboxEvents,
  deleteProcessedInboxEvents,
  dropInboxEventsOfAbsentPortals,
  listDueInboxPortals,
  loadPendingInboxBatch,
  markInboxEventsDone,
  parkInboxEvents,
  recordInboxFailure,
  scrubProcessedInboxPayloads,
  scrubInboxPayloadsOfContact,
  storeWebhookEvents,
} from '../../src/storage/inbox-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

const change = (portalId: string, eventId: number, objectId: string, occurredAt: number): WebhookEvent => ({
  portalId,
  occurredAt,
  subscriptionType: 'contact.propertyChange',
  eventId: String(eventId),
  subscriptionId: '1',
  objectId,
  propertyName: 'email',
  propertyValue: `c${objectId}@example.com`,
});

const FAILURE = { message: 'boom', now: 1_000, maxAttempts: 2, baseBackoffMs: 100, maxBackoffMs: 1_000, random: 1 };

describeOnBothBackends('inbox store (webhook_inbox)', (t) => {
  beforeEach(async () => {
    for (const table of ['webhook_inbox', 'installs']) await t.db.query(`delete from ${table}`);
  });

  it('stores a batch once: redeliveries are duplicates, unhandled subscriptions are ignored', async () => {
    const events = [change('1', 1, '11', 100), change('1', 2, '12', 200)];
    const unknown: WebhookEvent = { portalId: '1', occurredAt: 300, subscriptionType: 'product.creation', objectId: '5' };
    expect(await storeWebhookEvents(t.db, [...events, unknown], 1)).toEqual({ stored: 2, ignored: 1, duplicates: 0 });
    expect(await storeWebhookEvents(t.db, events, 2)).toEqual({ stored: 0, ignored: 0, duplicates: 2 });
    expect(await countInboxByStatus(t.db)).toEqual([{ status: 'pending', n: 2 }]);
  });

  it('lists due portals (not those whose install is inactive) and loads their batch in occurrence order', async () => {
    await storeWebhookEvents(t.db, [change('1', 1, '11', 300), change('1', 2, '12', 100), change('2', 3, '21', 100), change('3', 4, '31', 100)], 1);
    await t.db.query(`insert into installs (portal_id, status, installed_at, updated_at) values (2, 'active', 0, 0), (3, 'uninstalled', 0, 0)`);
    expect((await listDueInboxPortals(t.db, 0)).sort()).toEqual(['1', '2']);
    const batch = await loadPendingInboxBatch(t.db, '1', 0, 10);
    expect(batch.map((r) => [r.payload.objectId, r.attempts])).toEqual([
      ['12', 0],
      ['11', 0],
    ]);
    expect(typeof batch[0]!.id).toBe('number');
    expect(await loadPendingInboxBatch(t.db, '1', 0, 1)).toHaveLength(1);
  });

  it('fills a batch up to batchSize contacts when its oldest events touch fewer (one batch pays the ⌈n/100⌉ terms, not two)', async () => {
    // The two oldest events are both contact 11's: the heads alone would hold one contact and
    // leave 12 to a second batch that reads, updates and creates in partial batches of its own.
    await storeWebhookEvents(t.db, [change('1', 1, '11', 100), change('1', 2, '11', 200), change('1', 3, '12', 300), change('1', 4, '13', 400), change('1', 5, '12', 500)], 1);
    const batch = await loadPendingInboxBatch(t.db, '1', 0, 2);
    expect(batch.map((r) => [r.payload.objectId, r.payload.occurredAt])).toEqual([
      ['11', 100],
      ['11', 200],
      ['12', 300],
      ['12', 500],
    ]);
  });

  it('takes a held contact\'s events beyond the window as followers, and no more than (1 + FOLLOWERS_PER_HEAD) × batchSize events', async () => {
    // batchSize 1: the window is the 5 oldest events; 12's four fill it, 11's late event follows.
    const events = [change('1', 1, '11', 100), ...[2, 3, 4, 5, 6].map((i) => change('1', i, '12', i * 100)), change('1', 7, '11', 900)];
    await storeWebhookEvents(t.db, events, 1);
    expect((await loadPendingInboxBatch(t.db, '1', 0, 1)).map((r) => r.payload.occurredAt)).toEqual([100, 900]);
    await t.db.query(`update webhook_inbox set status = 'done' where object_id = 11`);
    const twelve = await loadPendingInboxBatch(t.db, '1', 0, 1);
    expect(twelve.map((r) => r.payload.occurredAt)).toEqual([200, 300, 400, 500, 600]);
    await storeWebhookEvents(t.db, [change('1', 8, '12', 1_000)], 2);
    expect(await loadPendingInboxBatch(t.db, '1', 0, 1)).toHaveLength(5);
  });

  it('marks done, defers without using an attempt, and backs off then parks on failures', async () => {
    await storeWebhookEvents(t.db, [change('1', 1, '11', 100), change('1', 2, '12', 200), change('1', 3, '13', 300)], 1);
    const [a, b, c] = await loadPendingInboxBatch(t.db, '1', 0, 10);
    await t.db.transaction((tx) => markInboxEventsDone(tx, '1', [a!.id], 50));
    await deferInboxEvents(t.db, '1', [b!.id], 5_000, 'install not active');
    expect((await loadPendingInboxBatch(t.db, '1', 4_999, 10)).map((r) => r.id)).toEqual([c!.id]);
    expect((await loadPendingInboxBatch(t.db, '1', 5_000, 10)).map((r) => [r.id, r.attempts])).toEqual([
      [b!.id, 0],
      [c!.id, 0],
    ]);

    // 1st failure: next attempt at now + base × 2^0 × (0.5 + random × 0.5); the 2nd reaches maxAttempts.
    expect(await recordInboxFailure(t.db, '1', [c!.id], FAILURE)).toEqual(['pending']);
    const { rows } = await t.db.query<{ next_attempt_at: number; last_error: string }>('select next_attempt_at, last_error from webhook_inbox where id = $1', [c!.id]);
    expect(rows[0]).toEqual({ next_attempt_at: 1_100, last_error: 'boom' });
    expect(await recordInboxFailure(t.db, '1', [a!.id, c!.id], FAILURE)).toEqual(['parked']);
    expect((await countInboxByStatus(t.db)).sort((x, y) => x.status.localeCompare(y.status))).toEqual([
      { status: 'parked', n: 1 },
      { status: 'pending', n: 1 },
    ]);
    const done = await t.db.query<{ status: string; processed_at: number }>('select status, processed_at from webhook_inbox where id = $1', [a!.id]);
    expect(done.rows[0]).toEqual({ status: 'done', processed_at: 50 });
  });

  it('caps the backoff at maxBackoffMs', async () => {
    await storeWebhookEvents(t.db, [change('1', 1, '11', 100)], 1);
    const [a] = await loadPendingInboxBatch(t.db, '1', 0, 10);
    await t.db.query('update webhook_inbox set attempts = 20 where id = $1', [a!.id]);
    await recordInboxFailure(t.db, '1', [a!.id], { ...FAILURE, maxAttempts: 99 });
    const { rows } = await t.db.query<{ next_attempt_at: number }>('select next_attempt_at from webhook_inbox where id = $1', [a!.id]);
    expect(rows[0]!.next_attempt_at).toBe(2_000);
  });

  it('scrubs a contact\'s stored payloads except the batch being processed', async () => {
    await storeWebhookEvents(t.db, [change('1', 1, '11', 100), change('1', 2, '11', 200), change('1', 3, '12', 300)], 1);
    const [keep] = await loadPendingInboxBatch(t.db, '1', 0, 1);
    await scrubInboxPayloadsOfContact(t.db, '1', '11', [keep!.id]);
    const { rows } = await t.db.query<{ object_id: number; payload: object }>('select object_id, payload from webhook_inbox order by id');
    expect(rows.map((r) => [r.object_id, Object.keys(r.payload).length > 0])).toEqual([
      [11, true],
      [11, false],
      [12, true],
    ]);
  });

  it('parks events at once, counting one attempt, only while they are pending', async () => {
    await storeWebhookEvents(t.db, [change('1', 1, '11', 100), change('1', 2, '12', 200)], 1);
    const [a, b] = await loadPendingInboxBatch(t.db, '1', 0, 10);
    await t.db.transaction((tx) => markInboxEventsDone(tx, '1', [b!.id], 5));
    expect(await parkInboxEvents(t.db, '1', [a!.id, b!.id], 'validation: refused')).toBe(1);
    const { rows } = await t.db.query<{ status: string; attempts: number; last_error: string | null }>('select status, attempts, last_error from webhook_inbox order by id');
    expect(rows).toEqual([
      { status: 'parked', attempts: 1, last_error: 'validation: refused' },
      { status: 'done', attempts: 0, last_error: null },
    ]);
  });

  it('retention: empties processed payloads, then deletes processed rows; pending and parked rows stay', async () => {
    const unknown: WebhookEvent = { portalId: '1', occurredAt: 50, subscriptionType: 'product.creation', objectId: '5' };
    await storeWebhookEvents(t.db, [change('1', 1, '11', 100), change('1', 2, '12', 200), change('1', 3, '13', 300), change('1', 4, '14', 400), unknown], 10);
    const [a, b, c, d] = await loadPendingInboxBatch(t.db, '1', 0, 10);
    await t.db.transaction((tx) => markInboxEventsDone(tx, '1', [a!.id], 100));
    await t.db.transaction((tx) => markInboxEventsDone(tx, '1', [b!.id], 1_000));
    await parkInboxEvents(t.db, '1', [c!.id], 'x');
    const state = async () =>
      (await t.db.query<{ id: number; status: string; payload: object }>('select id, status, payload from webhook_inbox order by id')).rows.map((r) => [
        Number(r.id) === d!.id ? 'd' : r.status,
        Object.keys(r.payload).length > 0,
      ]);

    // Processed before 500: a (done at 100) and the ignored event (processed on receipt, at 10); one per call with limit 1.
    expect(await scrubProcessedInboxPayloads(t.db, 500, 1)).toBe(1);
    expect(await scrubProcessedInboxPayloads(t.db, 500, 10)).toBe(1);
    expect(await scrubProcessedInboxPayloads(t.db, 500, 10)).toBe(0);
    expect(await state()).toEqual([
      ['done', false],
      ['done', true],
      ['parked', true],
      ['d', true],
      ['ignored', false],
    ]);
    // A redelivery of a scrubbed event is still a duplicate.
    expect(await storeWebhookEvents(t.db, [change('1', 1, '11', 100)], 20)).toEqual({ stored: 0, ignored: 0, duplicates: 1 });

    expect(await deleteProcessedInboxEvents(t.db, 500, 10)).toBe(2);
    expect(await deleteProcessedInboxEvents(t.db, 5_000, 10)).toBe(1);
    expect(await state()).toEqual([
      ['parked', true],
      ['d', true],
    ]);
  });

  it('retention: drops waiting events of uninstalled and never-installed portals received before the cut-off, by reason', async () => {
    await t.db.query(`insert into installs (portal_id, status, installed_at, updated_at) values (2, 'active', 0, 0), (3, 'uninstalled', 0, 0), (4, 'disconnected', 0, 0)`);
    await storeWebhookEvents(t.db, [change('1', 1, '11', 100), change('2', 2, '21', 100), change('3', 3, '31', 100), change('3', 4, '32', 100), change('4', 5, '41', 100)], 10);
    await storeWebhookEvents(t.db, [change('1', 6, '12', 100)], 1_000);
    const [p3] = await loadPendingInboxBatch(t.db, '3', 0, 1);
    await parkInboxEvents(t.db, '3', [p3!.id], 'x');

    expect(await dropInboxEventsOfAbsentPortals(t.db, 500, 100)).toEqual({ uninstalled: 2, never_installed: 1 });
    expect(await dropInboxEventsOfAbsentPortals(t.db, 500, 100)).toEqual({ uninstalled: 0, never_installed: 0 });
    const { rows } = await t.db.query<{ portal_id: number; object_id: number }>('select portal_id, object_id from webhook_inbox order by id');
    // Active and disconnected portals keep theirs; the never-installed portal's recent event waits for its install.
    expect(rows.map((r) => [Number(r.portal_id), Number(r.object_id)])).toEqual([
      [2, 21],
      [4, 41],
      [1, 12],
    ]);
    expect(await dropInboxEventsOfAbsentPortals(t.db, 5_000, 1)).toEqual({ uninstalled: 0, never_installed: 1 });
  });
});
