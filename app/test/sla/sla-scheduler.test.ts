import { beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/platform/clock';
import { evaluateContact } from '../../src/domain/evaluate';
import type { ContactSnapshot, Plan } from '../../src/domain/types';
import { loadSlaClock, saveSlaClock } from '../../src/storage/sla-clock-store';
import { createSlaScheduler, type SlaSchedulerDeps } from '../../src/sla/sla-scheduler';
import { createDatabase, type Database } from '../../src/storage/database';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';
import { HOUR, READY_FOR_HANDOFF, T0, directory, settings, snapshot } from '../domain/fixtures';

const PORTAL = '555';

/** A handed-off contact, its clock stored the way the pipeline's applier stores it. */
async function seedHandoff(db: Database, contactId = '7001'): Promise<ContactSnapshot> {
  const s0 = snapshot(READY_FOR_HANDOFF, { company: { id: '8001', properties: { hubspot_owner_id: '202' } } });
  const s = { ...s0, contact: { ...s0.contact, id: contactId } };
  const plan = evaluateContact(s, settings(), directory(), T0);
  await saveSlaClock(db, PORTAL, contactId, plan.slaClock!, settings(), T0);
  return { ...s, contact: { ...s.contact, properties: { ...s.contact.properties, ...plan.contactProperties } } };
}

function fakeApplier(delayMs = 0) {
  const applied: Plan[] = [];
  return {
    applied,
    tasks: () => applied.flatMap((p) => p.tasks),
    applyPlans: async (_portalId: string, plans: Plan[]) => {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      applied.push(...plans);
    },
  };
}

function deps(db: Database, clock: ReturnType<typeof createManualClock>, snapshots: Map<string, ContactSnapshot>, applyPlans: SlaSchedulerDeps['applyPlans']): SlaSchedulerDeps {
  return {
    db,
    clock,
    applyPlans,
    loadDirectory: async () => directory(),
    loadSnapshots: async (_p, ids) => new Map(ids.flatMap((id) => (snapshots.has(id) ? [[id, snapshots.get(id)!] as const] : []))),
  };
}

describe.each(testBackends())('SLA scheduler on %s', (kind) => {
  const t = useTestDatabase(kind);
  beforeEach(async () => {
    await t.db.query('delete from sla_clocks');
  });

  it('does nothing before a deadline, reminds at due − 2 h, breaches and escalates once, across a restart', async () => {
    const s = await seedHandoff(t.db);
    const snaps = new Map([['7001', s]]);
    const clock = createManualClock(T0 + 21 * HOUR);
    const applier = fakeApplier();
    const first = createSlaScheduler(deps(t.db, clock, snaps, applier.applyPlans));
    expect(await first.tick()).toEqual({ claimed: 0, applied: 0, failedPortals: [] });

    clock.set(T0 + 22 * HOUR + 30_000);
    expect((await first.tick()).claimed).toBe(1);
    expect(applier.tasks().map((x) => x.key)).toEqual(['task:reminder:7001:c0:first_touch:-2h']);
    const stored = await loadSlaClock(t.db, PORTAL, '7001');
    expect(stored?.remindersSent).toEqual(['first_touch:-2h']);
    const { rows } = await t.db.query<{ next_check_at: number }>('select next_check_at from sla_clocks');
    expect(rows[0]?.next_check_at).toBe(T0 + 24 * HOUR);

    // "Restart": a new scheduler instance reads the state from the database.
    const second = createSlaScheduler(deps(t.db, clock, snaps, applier.applyPlans));
    clock.set(T0 + 24 * HOUR + 60_000);
    await second.tick();
    clock.advance(60_000);
    await second.tick();
    expect(applier.tasks().map((x) => x.key)).toEqual(['task:reminder:7001:c0:first_touch:-2h', 'task:escalation:7001:c0:first_touch']);
    expect((await loadSlaClock(t.db, PORTAL, '7001'))?.firstTouchStatus).toBe('breached');
  });

  it('a failing applier leaves the clock to its lease; the retry succeeds', async () => {
    const s = await seedHandoff(t.db);
    const clock = createManualClock(T0 + 25 * HOUR);
    let fail = true;
    const applier = fakeApplier();
    const errors: unknown[] = [];
    const sched = createSlaScheduler({
      ...deps(t.db, clock, new Map([['7001', s]]), async (p, plans) => {
        if (fail) throw new Error('HubSpot 503');
        await applier.applyPlans(p, plans);
      }),
      leaseMs: 5 * 60_000,
      onError: (e) => errors.push(e),
    });
    expect(await sched.tick()).toEqual({ claimed: 1, applied: 0, failedPortals: [PORTAL] });
    expect(errors).toHaveLength(1);
    clock.advance(60_000);
    expect((await sched.tick()).claimed).toBe(0); // hidden by the lease
    fail = false;
    clock.advance(5 * 60_000);
    expect(await sched.tick()).toEqual({ claimed: 1, applied: 1, failedPortals: [] });
    expect(applier.tasks().map((x) => x.key)).toEqual(['task:escalation:7001:c0:first_touch']);
  });

  it('a deleted contact stops its clock', async () => {
    await seedHandoff(t.db);
    const clock = createManualClock(T0 + 25 * HOUR);
    const sched = createSlaScheduler(deps(t.db, clock, new Map(), fakeApplier().applyPlans));
    await sched.tick();
    const { rows } = await t.db.query<{ next_check_at: number | null }>('select next_check_at from sla_clocks');
    expect(rows).toEqual([{ next_check_at: null }]);
  });

  it('start() sweeps on the injected interval and stop() ends it', async () => {
    await seedHandoff(t.db);
    let fire: (() => void) | undefined;
    let cleared = false;
    const clock = createManualClock(T0 + 25 * HOUR);
    const applier = fakeApplier();
    const sched = createSlaScheduler({
      ...deps(t.db, clock, new Map([['7001', await seedHandoff(t.db)]]), applier.applyPlans),
      timer: { setInterval: (fn, ms) => ((fire = fn), expect(ms).toBe(60_000), 1), clearInterval: () => (cleared = true) },
    });
    sched.start();
    fire!();
    await sched.stop();
    expect(cleared).toBe(true);
    expect(applier.tasks().map((x) => x.key)).toEqual(['task:escalation:7001:c0:first_touch']);
  });

  it.skipIf(kind !== 'postgres')('two schedulers racing on the server escalate exactly once', async () => {
    const s = await seedHandoff(t.db);
    const others = await Promise.all(['7002', '7003'].map((id) => seedHandoff(t.db, id)));
    const snaps = new Map([['7001', s], ...others.map((o) => [o.contact.id, o] as const)]);
    const dbA = await createDatabase({ kind: 'postgres', url: t.url!, poolSize: 2 });
    const dbB = await createDatabase({ kind: 'postgres', url: t.url!, poolSize: 2 });
    try {
      const clock = createManualClock(T0 + 25 * HOUR);
      const applier = fakeApplier(30); // slow applier: the sweeps overlap
      const a = createSlaScheduler(deps(dbA, clock, snaps, applier.applyPlans));
      const b = createSlaScheduler(deps(dbB, clock, snaps, applier.applyPlans));
      for (let round = 0; round < 3; round++) {
        await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
        clock.advance(10 * 60_000);
      }
      const escalations = applier.tasks().filter((x) => x.key.startsWith('task:escalation:')).map((x) => x.key).sort();
      expect(escalations).toEqual(['task:escalation:7001:c0:first_touch', 'task:escalation:7002:c0:first_touch', 'task:escalation:7003:c0:first_touch']);
    } finally {
      await dbA.close();
      await dbB.close();
    }
  });
});
