import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type PortalSettings } from '@tossup/shared/settings-schema';
import { routeHandoff } from '../../src/domain/routing';
import type { ContactSnapshot, Owner, PortalDirectory } from '../../src/domain/types';
import { createDatabase, type Database } from '../../src/storage/database';
import { loadAllRoundRobinCounts } from '../../src/storage/round-robin-store';
import { claimRoutingSeat, loadOpenSeats, releaseRoutingSeats, RoutingCapacityError } from '../../src/storage/routing-assignment-store';
import { onContactDeleted, onContactPrivacyDeleted, onContactsMerged } from '../../src/worker/contact-lifecycle';
import { loadOwnerLoads } from '../../src/storage/routing-owner-load-store';
import { routingLoadSeeded, seedRoutingLoad } from '../../src/storage/routing-load-seed-store';
import { applyPlans } from '../../src/engine/apply-plans';
import { emptyPlan } from '../../src/domain/types';
import type { HubSpotGateway } from '../../src/hubspot/hubspot-gateway-types';
import { createManualClock } from '../../src/platform/clock';
import { createLogger } from '../../src/platform/log';
import { addOutOfOffice, deleteOutOfOffice, listOutOfOffice } from '../../src/storage/routing-out-of-office-store';
import { describeOnBothBackends, testBackends, useTestDatabase } from '../../../test/kit/use-test-database';

const T = 1_750_000_000_000;
const TEAM = { id: '42', name: '西日本営業部' };
const OWNERS: Owner[] = ['501', '502', '503'].map((id) => ({ id, archived: false, teams: [TEAM] }));

function settingsWith(weights: [string, number, number | null][]): PortalSettings {
  const s = structuredClone(DEFAULT_SETTINGS);
  s.routing.pools = [{ id: 'west', name: '西日本', members: weights.map(([ownerId, weight, capacity]) => ({ ownerId, weight, capacity })) }];
  s.routing.rules = [{ id: 'west', name: '地域ルール: 西日本', enabled: true, conditions: [], target: { type: 'pool', poolId: 'west' } }];
  s.routing.fallbackOwnerId = '900';
  return s;
}

const lead = (id: string): ContactSnapshot => ({ portalId: '1', contact: { id, properties: {} }, ledger: [], observations: [] });

/** What one process does per hand-off: fresh counts, the pure decision, the atomic claim; a lost seat is re-planned. */
async function handOff(db: Database, settings: PortalSettings, contactId: string): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const directory: PortalDirectory = {
      owners: [...OWNERS, { id: '900', archived: false, teams: [] }],
      lifecycleStages: [],
      roundRobinCounts: { inside_sales: {}, sales: {} },
      timeZone: 'Asia/Tokyo',
      routing: { openHandoffs: await loadOwnerLoads(db, '1'), poolCounts: await loadAllRoundRobinCounts(db, '1'), outOfOffice: [] },
    };
    const decision = routeHandoff(lead(contactId), settings, directory, T)!;
    try {
      await claimRoutingSeat(db, '1', contactId, { ...decision.claim!, handoffKey: 'c0' }, T);
      return decision.ownerId;
    } catch (err) {
      if (!(err instanceof RoutingCapacityError)) throw err;
    }
  }
  throw new Error('gave up after 50 re-plans');
}

describeOnBothBackends('routing seats (routing_assignments, routing_owner_load)', (t) => {
  it('a claim is idempotent, moves on reassign, closes earlier cycles, and is released once', async () => {
    const claim = { handoffKey: 'c0', ownerId: '501', poolKey: 'pool:west', cap: 2 };
    expect(await claimRoutingSeat(t.db, '7', '10', claim, T)).toBe('claimed');
    expect(await claimRoutingSeat(t.db, '7', '10', claim, T + 1)).toBe('unchanged');
    expect(await loadOwnerLoads(t.db, '7')).toEqual({ '501': 1 });
    expect((await loadAllRoundRobinCounts(t.db, '7'))['pool:west']).toEqual({ '501': 1 });
    expect(await claimRoutingSeat(t.db, '7', '10', { ...claim, ownerId: '502' }, T + 2)).toBe('moved');
    expect(await loadOwnerLoads(t.db, '7')).toEqual({ '502': 1 });
    expect([...(await loadOpenSeats(t.db, '7', ['10'])).values()]).toEqual([{ contactId: '10', handoffKey: 'c0', ownerId: '502', poolKey: 'pool:west', assignedAt: T + 2 }]);
    // The next cycle's hand-off closes the first one's seat.
    await claimRoutingSeat(t.db, '7', '10', { ...claim, handoffKey: 'c1', ownerId: '503' }, T + 3);
    expect(await loadOwnerLoads(t.db, '7')).toEqual({ '503': 1 });
    expect(await releaseRoutingSeats(t.db, '7', '10', T + 4)).toBe(1);
    expect(await releaseRoutingSeats(t.db, '7', '10', T + 5)).toBe(0);
    expect(await loadOwnerLoads(t.db, '7')).toEqual({});
  });

  it('the load is seeded once from hand-offs already open in HubSpot; contacts holding a seat are skipped', async () => {
    await claimRoutingSeat(t.db, '9', '30', { handoffKey: 'c0', ownerId: '502', cap: null }, T);
    const open = [
      { contactId: '10', ownerId: '501' },
      { contactId: '20', ownerId: '501' },
      { contactId: '30', ownerId: '502' }, // routed by tossup already: its seat stays the only one
    ];
    expect(await routingLoadSeeded(t.db, '9')).toBe(false);
    expect(await seedRoutingLoad(t.db, '9', open, T + 1)).toBe(2);
    expect(await routingLoadSeeded(t.db, '9')).toBe(true);
    expect(await loadOwnerLoads(t.db, '9')).toEqual({ '501': 2, '502': 1 });
    // Once per portal, whoever comes second changes nothing.
    expect(await seedRoutingLoad(t.db, '9', [...open, { contactId: '40', ownerId: '503' }], T + 2)).toBeNull();
    expect(await loadOwnerLoads(t.db, '9')).toEqual({ '501': 2, '502': 1 });
    // Seeded seats count against the cap and are released like any other.
    await expect(claimRoutingSeat(t.db, '9', '50', { handoffKey: 'c0', ownerId: '501', cap: 2 }, T + 3)).rejects.toBeInstanceOf(RoutingCapacityError);
    expect(await releaseRoutingSeats(t.db, '9', '10', T + 4)).toBe(1);
    expect(await claimRoutingSeat(t.db, '9', '50', { handoffKey: 'c0', ownerId: '501', cap: 2 }, T + 5)).toBe('claimed');
    expect(await loadOwnerLoads(t.db, '9')).toEqual({ '501': 2, '502': 1 });
  });

  it('applyPlans seeds before the first capped claim of a portal, once, and the claim then sees the seeded load', async () => {
    const searches: string[] = [];
    const gateway = {
      async listOpenHandoffContacts(portalId: string) {
        searches.push(portalId);
        return [
          { contactId: '61', ownerId: '501' },
          { contactId: '62', ownerId: '501' },
        ];
      },
    } as unknown as HubSpotGateway;
    const deps = { db: t.db, gateway, clock: createManualClock(T), logger: createLogger({ level: 'silent' }) };
    const plan = (contactId: string, cap: number | null) => ({ ...emptyPlan('11', contactId), routingClaim: { handoffKey: 'c0', ownerId: '501', poolKey: 'pool:west', cap } });
    // An uncapped claim needs no seeding (no search).
    await applyPlans(deps, '11', [plan('70', null)]);
    expect(searches).toEqual([]);
    await expect(applyPlans(deps, '11', [plan('71', 3)])).rejects.toBeInstanceOf(RoutingCapacityError);
    expect(searches).toEqual(['11']);
    expect(await loadOwnerLoads(t.db, '11')).toEqual({ '501': 3 });
    await releaseRoutingSeats(t.db, '11', '61', T);
    await applyPlans(deps, '11', [plan('71', 3)]);
    expect(searches).toEqual(['11']);
    expect(await loadOwnerLoads(t.db, '11')).toEqual({ '501': 3 });
  });

  it('a full rep refuses the seat and nothing changes; cap 0 never takes one', async () => {
    await claimRoutingSeat(t.db, '8', '1', { handoffKey: 'c0', ownerId: '501', poolKey: 'pool:west', cap: 1 }, T);
    await expect(claimRoutingSeat(t.db, '8', '2', { handoffKey: 'c0', ownerId: '501', poolKey: 'pool:west', cap: 1 }, T)).rejects.toBeInstanceOf(RoutingCapacityError);
    await expect(claimRoutingSeat(t.db, '8', '3', { handoffKey: 'c0', ownerId: '502', cap: 0 }, T)).rejects.toBeInstanceOf(RoutingCapacityError);
    expect(await loadOwnerLoads(t.db, '8')).toEqual({ '501': 1 });
    expect((await loadAllRoundRobinCounts(t.db, '8'))['pool:west']).toEqual({ '501': 1 });
    expect((await loadOpenSeats(t.db, '8', ['2', '3'])).size).toBe(0);
  });

  it('caps are never exceeded by 60 concurrent hand-offs (cap 10 × 3 reps; the rest go to the fallback owner)', async () => {
    const settings = settingsWith([['501', 1, 10], ['502', 1, 10], ['503', 1, 10]]);
    settings.routing.capacityPerRep = 10;
    const owners = await Promise.all(Array.from({ length: 60 }, (_, i) => handOff(t.db, settings, String(1000 + i))));
    const byOwner: Record<string, number> = {};
    for (const o of owners) byOwner[o] = (byOwner[o] ?? 0) + 1;
    expect(byOwner).toEqual({ '501': 10, '502': 10, '503': 10, '900': 30 });
    const loads = await loadOwnerLoads(t.db, '1');
    expect(loads).toMatchObject({ '501': 10, '502': 10, '503': 10 });
  });

  it('a deleted, privacy-deleted or merged-away contact frees its rep’s seat', async () => {
    const claim = { handoffKey: 'c0', ownerId: '501', cap: 3 };
    for (const id of ['21', '22', '23', '24']) await claimRoutingSeat(t.db, '6', id, { ...claim, ownerId: id === '24' ? '502' : '501' }, T);
    expect(await loadOwnerLoads(t.db, '6')).toEqual({ '501': 3, '502': 1 });
    await t.db.transaction(async (tx) => {
      await onContactDeleted(tx, '6', '21', T + 1);
      await onContactPrivacyDeleted(tx, '6', '22', [], T + 2);
      await onContactsMerged(tx, '6', '24', ['23', '24'], T + 3);
    });
    expect(await loadOwnerLoads(t.db, '6')).toEqual({ '502': 1 });
    expect((await t.db.query('select contact_id from routing_assignments where portal_id = 6 order by contact_id')).rows.map((r) => String((r as { contact_id: number }).contact_id))).toEqual(['21', '23', '24']);
  });

  it('out-of-office ranges: added, listed from a date, removed only by their owner', async () => {
    const a = await addOutOfOffice(t.db, '9', { ownerId: '501', from: '2025-05-01', to: '2025-05-06', note: 'GW' }, '501', T);
    await addOutOfOffice(t.db, '9', { ownerId: '502', from: '2025-04-01', to: '2025-04-02' }, 'admin', T);
    expect(await listOutOfOffice(t.db, '9', '2025-04-30')).toEqual([{ id: a.id, ownerId: '501', from: '2025-05-01', to: '2025-05-06', note: 'GW' }]);
    expect(await listOutOfOffice(t.db, '9', '2025-01-01', '502')).toHaveLength(1);
    expect(await deleteOutOfOffice(t.db, '9', a.id!, '502')).toBe(false);
    expect(await deleteOutOfOffice(t.db, '9', a.id!, '501')).toBe(true);
    expect(await deleteOutOfOffice(t.db, '9', 'x')).toBe(false);
  });
});

// Two processes = two connection pools on one PostgreSQL server, each with four hand-offs in flight.
describe.runIf(testBackends().includes('postgres'))('weighted fairness across two processes on one PostgreSQL server', () => {
  const t = useTestDatabase('postgres');
  let second: Database;
  beforeAll(async () => {
    second = await createDatabase({ kind: 'postgres', url: t.url!, poolSize: 4 });
  });
  afterAll(async () => {
    await second.close();
  });

  it('1,000 hand-offs split 3:2:1 — each rep within ±1 % of the hand-offs (±10) of its exact share', async () => {
    const settings = settingsWith([['501', 3, null], ['502', 2, null], ['503', 1, null]]);
    const got: Record<string, number> = {};
    const lane = async (db: Database, from: number, count: number) => {
      for (let i = 0; i < count; i++) {
        const owner = await handOff(db, settings, String(from + i));
        got[owner] = (got[owner] ?? 0) + 1;
      }
    };
    // 2 processes × 4 lanes × 125 hand-offs.
    await Promise.all([0, 1, 2, 3].flatMap((l) => [lane(t.db, 10_000 + l * 125, 125), lane(second, 20_000 + l * 125, 125)]));
    const expected = { '501': 500, '502': 1000 / 3, '503': 1000 / 6 };
    const deviation = Object.fromEntries(Object.entries(expected).map(([o, e]) => [o, Math.round(((got[o] ?? 0) - e) * 10) / 10]));
    // Printed figure for docs/decisions.md (issue 17): how far the concurrent split strays from the exact one.
    console.log(`weighted fairness over 1000 hand-offs, 2 pools × 4 lanes: got ${JSON.stringify(got)}, deviation ${JSON.stringify(deviation)}`);
    expect((got['501'] ?? 0) + (got['502'] ?? 0) + (got['503'] ?? 0)).toBe(1000);
    for (const d of Object.values(deviation)) expect(Math.abs(d)).toBeLessThanOrEqual(10);
    expect(await loadOwnerLoads(t.db, '1')).toEqual(got);
  });
});
