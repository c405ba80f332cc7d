import { expect, it } from 'vitest';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';
import { settleWithin } from '../../src/platform/settle-within';
import { claimPortalLease } from '../../src/storage/portal-lease-store';
import { contactEvent, enqueue, FakeHubSpot, inboxStatuses, PORTAL, T0, workerKit } from './worker-test-kit';

/**
 * Issue 13, "Graceful shutdown" at batch granularity (inbox-worker.ts halt/abandon,
 * start-pipeline.ts stop): after SIGTERM no new batch starts; the batch in progress either
 * finishes, or past its grace its portal lease is released so another worker takes over at
 * once, and the abandoned batch can no longer commit (nothing doubled, nothing lost).
 */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error('condition not reached');
}

describeOnBothBackends('inbox worker shutdown', (t) => {
  const sixContacts = async () => enqueue(t.db, ['601', '602', '603', '604', '605', '606'].map((id) => contactEvent(id)));

  it('halt: the batch in progress finishes and commits, no further batch starts, the lease is released', async () => {
    await t.db.query('delete from webhook_inbox');
    await t.db.query('delete from inbox_portal_leases');
    const g = gate();
    const blocked = workerKit(t.db, { options: { batchSize: 2 } });
    const hubspot = new FakeHubSpot(t.db, blocked.clock, () => g.opened);
    const kit = workerKit(t.db, { options: { batchSize: 2 }, hubspot, clock: blocked.clock });
    for (const id of ['601', '602', '603', '604', '605', '606']) hubspot.contacts.set(id, {});
    await sixContacts();

    const draining = kit.worker.drainOnce();
    await until(() => hubspot.calls.length > 0); // first batch is reading its contacts
    kit.worker.halt();
    g.open();
    expect(await draining).toMatchObject({ eventsDone: 2 });
    expect(await inboxStatuses(t.db)).toEqual({ done: 2, pending: 4 });
    expect(hubspot.count('readContacts')).toBe(1);
    // Released: another worker claims the portal at once.
    expect(await claimPortalLease(t.db, PORTAL, 'worker-b', T0, 60_000)).toBe(true);
    // A halted worker stays halted.
    expect(await kit.worker.drainOnce()).toEqual({ portals: 0, eventsDone: 0, eventsFailed: 0, eventsParked: 0 });
  });

  it('abandon past the grace: the lease is released at once, the next worker drains everything, the late batch cannot commit', async () => {
    await t.db.query('delete from webhook_inbox');
    await t.db.query('delete from inbox_portal_leases');
    const g = gate();
    const a = workerKit(t.db, { options: { batchSize: 10 } });
    const stuck = new FakeHubSpot(t.db, a.clock, () => g.opened);
    const kitA = workerKit(t.db, { options: { batchSize: 10, leaseMs: 600_000 }, hubspot: stuck, clock: a.clock, plan: () => ({ contactProperties: { tossup_stage: 'mql' } }) });
    for (const id of ['601', '602', '603', '604', '605', '606']) stuck.contacts.set(id, {});
    await sixContacts();

    const draining = kitA.worker.drainOnce();
    await until(() => stuck.calls.length > 0);
    // What start-pipeline.ts stop(batchGraceMs) does: wait for the batch, then abandon it.
    expect(await settleWithin(draining, 50)).toBe(false);
    await kitA.worker.abandon();

    // Worker B does not wait for A's 10-minute lease.
    const kitB = workerKit(t.db, { instanceId: 'worker-b', clock: a.clock, plan: () => ({ contactProperties: { tossup_stage: 'mql' } }) });
    for (const id of ['601', '602', '603', '604', '605', '606']) kitB.hubspot.contacts.set(id, {});
    expect(await kitB.worker.drainOnce()).toMatchObject({ portals: 1, eventsDone: 6 });

    // A's batch wakes up after the fact: its commit is fenced by the lease, nothing is marked twice.
    g.open();
    expect(await draining).toMatchObject({ eventsDone: 0 });
    expect(await inboxStatuses(t.db)).toEqual({ done: 6 });
    const attempts = await t.db.query<{ n: number }>('select count(*)::int as n from webhook_inbox where attempts > 0');
    expect(attempts.rows[0]!.n).toBe(0);
  });

  it('a batch that outlasts the lease still commits: the lease is renewed while the portal is held', async () => {
    await t.db.query('delete from webhook_inbox');
    await t.db.query('delete from inbox_portal_leases');
    const base = workerKit(t.db);
    let calls = 0;
    // Every HubSpot call takes 0.9 lease-lengths of clock time, and lasts until a renewal has
    // landed after that (real time, however slow the machine).
    const slow = new FakeHubSpot(t.db, base.clock, async () => {
      calls++;
      base.clock.advance(900);
      await until(() => renewedPast >= base.clock.now());
    });
    let renewedPast = 0;
    const poll = setInterval(() => {
      void t.db.query<{ locked_until: number }>('select locked_until from inbox_portal_leases where portal_id = $1', [PORTAL]).then((r) => {
        renewedPast = Number(r.rows[0]?.locked_until ?? 0) - 1_000; // the clock time of the last renewal
      });
    }, 5);
    const kit = workerKit(t.db, { hubspot: slow, clock: base.clock, options: { leaseMs: 1_000, leaseRenewMs: 10 }, plan: () => ({ contactProperties: { tossup_stage: 'mql' } }) });
    for (const id of ['601', '602', '603', '604', '605', '606']) slow.contacts.set(id, {});
    await sixContacts();
    try {
      expect(await kit.worker.drainOnce()).toMatchObject({ eventsDone: 6 });
    } finally {
      clearInterval(poll);
    }
    expect(calls).toBeGreaterThanOrEqual(2); // the batch spanned more than one lease length
    expect(await inboxStatuses(t.db)).toEqual({ done: 6 });
    // Released after the batch, and no renewal landed after the release.
    await new Promise((r) => setTimeout(r, 40));
    expect(await claimPortalLease(t.db, PORTAL, 'worker-b', base.clock.now(), 60_000)).toBe(true);
  });

  it('settleWithin tells a finished from an unfinished piece of work, rejections included', async () => {
    expect(await settleWithin(Promise.resolve(1), 10)).toBe(true);
    expect(await settleWithin(Promise.reject(new Error('x')), 10)).toBe(true);
    expect(await settleWithin(new Promise(() => undefined), 10)).toBe(false);
    expect(await settleWithin(Promise.resolve(), Number.POSITIVE_INFINITY)).toBe(true);
  });
});
