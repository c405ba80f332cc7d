import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';
import { createManualClock } from '../../src/platform/clock';
import { createDatabase, type Database } from '../../src/storage/database';
import { createReconciler } from '../../src/worker/reconcile-sweep';
import { recordWrittenValues } from '../../src/storage/written-values-store';
import { contactEvent, enqueue, FakeHubSpot, inboxStatuses, T0, workerKit } from './worker-test-kit';

describe.each(testBackends())('reconciliation sweep on %s', (kind) => {
  const t = useTestDatabase(kind);
  let other: Database;
  beforeAll(async () => {
    other = kind === 'postgres' ? await createDatabase({ kind: 'postgres', url: t.url!, poolSize: 3 }) : t.db;
  });
  afterAll(async () => {
    if (other !== t.db) await other.close();
  });
  beforeEach(async () => {
    for (const table of ['jobs', 'installs', 'webhook_inbox', 'pipeline_written_values']) await t.db.query(`delete from ${table}`);
    await t.db.query(`insert into installs (portal_id, status, installed_at, updated_at) values (62515, 'active', 0, 0), (777, 'uninstalled', 0, 0)`);
  });

  const reconciler = (db: Database, hub: FakeHubSpot, clock: ReturnType<typeof createManualClock>, instanceId: string) =>
    createReconciler({ db, clock, logger: pino({ level: 'silent' }), gateway: hub, instanceId, options: { intervalMs: 900_000, overlapMs: 120_000, initialLookbackMs: 3_600_000 } });

  it('queues missed contacts through the inbox, once per modification, for active installs only', async () => {
    const clock = createManualClock(T0);
    const hub = new FakeHubSpot(t.db, clock);
    hub.modified = [
      { id: '501', lastModifiedAt: T0 - 1_000 },
      { id: '502', lastModifiedAt: T0 - 2_000 },
    ];
    const r = reconciler(t.db, hub, clock, 'a');
    expect(await r.runDue()).toEqual({ swept: 1, contacts: 2 });
    expect(hub.calls.map((c) => c.portalId)).toEqual(['62515']);
    const rows = await t.db.query<{ subscription_type: string; object_id: number; status: string }>('select subscription_type, object_id, status from webhook_inbox order by object_id');
    expect(rows.rows).toEqual([
      { subscription_type: 'contact.reconcile', object_id: 501, status: 'pending' },
      { subscription_type: 'contact.reconcile', object_id: 502, status: 'pending' },
    ]);
    // Not due again until the interval passes.
    expect(await r.runDue()).toEqual({ swept: 0, contacts: 0 });
    const job = await t.db.query<{ run_at: number; payload: { sinceMs: number }; status: string }>('select run_at, payload, status from jobs');
    expect(job.rows[0]).toEqual({ run_at: T0 + 900_000, payload: { sinceMs: T0 }, status: 'pending' });

    // The next sweep overlaps the previous window (search lag): the same modification is not queued twice.
    clock.advance(900_000);
    expect(await r.runDue()).toEqual({ swept: 1, contacts: 2 });
    expect(await inboxStatuses(t.db)).toEqual({ pending: 2 });
  });

  it('the queued contacts go through the same worker path', async () => {
    const clock = createManualClock(T0);
    const hub = new FakeHubSpot(t.db, clock);
    hub.contacts.set('501', {});
    hub.modified = [{ id: '501', lastModifiedAt: T0 - 1_000 }];
    await reconciler(t.db, hub, clock, 'a').runDue();
    const kit = workerKit(t.db, { clock, hubspot: hub });
    await kit.worker.drainOnce();
    expect(kit.evaluations.map((s) => s.contact.id)).toEqual(['501']);
    expect(await inboxStatuses(t.db)).toEqual({ done: 1 });
  });

  const queuedIds = async () => (await t.db.query<{ object_id: number }>(`select object_id from webhook_inbox where subscription_type = 'contact.reconcile' order by object_id`)).rows.map((r) => String(r.object_id));

  it('does not re-queue a contact whose last modification is our own write (issue 19)', async () => {
    const clock = createManualClock(T0);
    const hub = new FakeHubSpot(t.db, clock);
    // 501: HubSpot stamped our write 3 s after we recorded it. 502: modified 10 min after our
    // last write, by someone else. 503: never written by us.
    await recordWrittenValues(t.db, '62515', [{ id: '501', properties: { tossup_score: '40' } }], T0 - 20_000);
    await recordWrittenValues(t.db, '62515', [{ id: '502', properties: { tossup_score: '10' } }], T0 - 1_200_000);
    hub.modified = [
      { id: '501', lastModifiedAt: T0 - 17_000 },
      { id: '502', lastModifiedAt: T0 - 600_000 },
      { id: '503', lastModifiedAt: T0 - 5_000 },
    ];
    expect(await reconciler(t.db, hub, clock, 'a').runDue()).toEqual({ swept: 1, contacts: 3 });
    expect(await queuedIds()).toEqual(['502', '503']);
  });

  it('does not re-queue a contact already pending in the inbox, but does one being processed (issue 19)', async () => {
    const clock = createManualClock(T0);
    const hub = new FakeHubSpot(t.db, clock);
    await enqueue(t.db, [contactEvent('501'), contactEvent('502')]);
    // 502's event was claimed already: its read may predate the modification the sweep found.
    await t.db.query(`update webhook_inbox set status = 'processing' where object_id = 502`);
    hub.modified = [
      { id: '501', lastModifiedAt: T0 - 1_000 },
      { id: '502', lastModifiedAt: T0 - 1_000 },
      { id: '503', lastModifiedAt: T0 - 1_000 },
    ];
    expect(await reconciler(t.db, hub, clock, 'a').runDue()).toEqual({ swept: 1, contacts: 3 });
    expect(await queuedIds()).toEqual(['502', '503']);
  });

  it('two processes sweeping at once claim the job once', async () => {
    const clock = createManualClock(T0);
    const hubA = new FakeHubSpot(t.db, clock, () => new Promise((r) => setImmediate(r)));
    const hubB = new FakeHubSpot(other, clock, () => new Promise((r) => setImmediate(r)));
    const [a, b] = await Promise.all([reconciler(t.db, hubA, clock, 'a').runDue(), reconciler(other, hubB, clock, 'b').runDue()]);
    expect(a.swept + b.swept).toBe(1);
    expect(hubA.count('listContactsModifiedBetween') + hubB.count('listContactsModifiedBetween')).toBe(1);
  });

  it('a failed sweep keeps its window and is retried later, never parked', async () => {
    const clock = createManualClock(T0);
    const hub = new FakeHubSpot(t.db, clock);
    hub.failWith = new Error('search 502');
    const r = reconciler(t.db, hub, clock, 'a');
    expect(await r.runDue()).toEqual({ swept: 0, contacts: 0 });
    const job = await t.db.query<{ status: string; run_at: number; payload: { sinceMs: number }; last_error: string }>('select status, run_at, payload, last_error from jobs');
    expect(job.rows[0]).toEqual({ status: 'pending', run_at: T0 + 60_000, payload: { sinceMs: T0 - 3_600_000 }, last_error: 'search 502' });
  });
});
