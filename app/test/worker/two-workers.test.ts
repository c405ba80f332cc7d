import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase, withTestDatabase } from '../../../test/kit/use-test-database';
import { createManualClock } from '../../src/platform/clock';
import { createDatabase, type Database } from '../../src/storage/database';
import { contactEvent, enqueue, FakeHubSpot, T0, workerKit } from './worker-test-kit';

// Two backend processes on one PostgreSQL server: each has its own connection pool
// and instance id; they drain the same inbox at the same time.
describe.runIf(testBackends().includes('postgres'))('two workers on one PostgreSQL server', () => {
  const t = useTestDatabase('postgres');
  let second: Database;
  beforeAll(async () => {
    second = await createDatabase({ kind: 'postgres', url: t.url!, poolSize: 5 });
  });
  afterAll(async () => {
    await second?.close();
  });

  it('never process the same event twice, and together process every event', async () => {
    const portals = Array.from({ length: 12 }, (_, i) => String(70_000 + i));
    const events = portals.flatMap((portalId) => Array.from({ length: 25 }, (_, i) => contactEvent(String(500 + (i % 10)), { portalId })));
    await enqueue(t.db, events);

    const clock = createManualClock(T0);
    // Yielding to the event loop inside every HubSpot call interleaves the two workers.
    const latency = () => new Promise<void>((resolve) => setImmediate(resolve));
    const hubA = new FakeHubSpot(t.db, clock, latency);
    const hubB = new FakeHubSpot(second, clock, latency);
    for (const hub of [hubA, hubB]) for (let c = 500; c < 510; c++) hub.contacts.set(String(c), {});
    const plan = (s: { portalId: string; contact: { id: string } }) => ({
      tasks: [
        {
          key: `task:${s.portalId}:${s.contact.id}`,
          ownerId: '77',
          subject: 's',
          body: 'b',
          dueAt: T0,
          priority: 'HIGH' as const,
          type: 'TODO' as const,
          associations: { contactId: s.contact.id },
        },
      ],
    });
    const a = workerKit(t.db, { instanceId: 'process-a', clock, hubspot: hubA, plan, options: { batchSize: 7, maxBatchesPerClaim: 2 } });
    const b = workerKit(second, { instanceId: 'process-b', clock, hubspot: hubB, plan, options: { batchSize: 7, maxBatchesPerClaim: 2 } });

    for (let round = 0; round < 50; round++) {
      const [ra, rb] = await Promise.all([a.worker.drainOnce(), b.worker.drainOnce()]);
      if (ra.portals + rb.portals === 0) break;
    }

    const statuses = await t.db.query<{ status: string; n: number }>('select status, count(*)::int as n from webhook_inbox group by status');
    expect(statuses.rows).toEqual([{ status: 'done', n: events.length }]);
    // Both processes took part.
    expect(a.evaluations.length).toBeGreaterThan(0);
    expect(b.evaluations.length).toBeGreaterThan(0);
    // Each event was in exactly one evaluated batch, and a batch carries every pending event
    // of the contacts it holds (inbox-store.ts loadPendingInboxBatch): the first batch of a
    // portal takes contacts 500–506 with all their events, the next 507–509, so each of the
    // 10 contacts is evaluated exactly once per portal.
    const perPortal = new Map<string, number>();
    for (const s of [...a.evaluations, ...b.evaluations]) perPortal.set(s.portalId, (perPortal.get(s.portalId) ?? 0) + 1);
    const expected = 10;
    for (const p of portals) expect(perPortal.get(p)).toBe(expected);
    // The idempotent create ran once per key across both processes.
    const created = [...hubA.created.values(), ...hubB.created.values()];
    expect(created).toHaveLength(portals.length * 10);
    const effects = await t.db.query<{ n: number }>(`select count(*)::int as n from side_effects where state = 'done'`);
    expect(effects.rows[0]!.n).toBe(portals.length * 10);
  });
});

describe.each(testBackends())('lease fencing on %s', (kind) => {
  it('a worker whose lease was taken over cannot mark events done', async () => {
    await withTestDatabase(kind, async (t) => {
      const clock = createManualClock(T0);
      const hub = new FakeHubSpot(t.db, clock);
      hub.contacts.set('501', {});
      const kit = workerKit(t.db, { instanceId: 'slow', clock, hubspot: hub, options: { leaseMs: 1_000 } });
      // While the slow worker is reading HubSpot, its lease expires and another takes the portal.
      const original = hub.readContacts.bind(hub);
      hub.readContacts = async (...args) => {
        clock.advance(5_000);
        await t.db.query(`update inbox_portal_leases set locked_by = 'other', locked_until = $1`, [clock.now() + 60_000]);
        return original(...args);
      };
      await enqueue(t.db, [contactEvent('501')]);
      const summary = await kit.worker.drainOnce();
      expect(summary).toMatchObject({ eventsFailed: 0, eventsParked: 0 });
      const rows = await t.db.query<{ status: string; attempts: number }>('select status, attempts from webhook_inbox');
      expect(rows.rows).toEqual([{ status: 'pending', attempts: 0 }]);
    });
  }, 90_000); // a fresh embedded database per backend: ~20–40 s on 2 busy cores
});
