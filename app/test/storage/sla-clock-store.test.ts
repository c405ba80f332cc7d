import { beforeEach, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { nextSlaCheckAt } from '../../src/domain/sla';
import type { SlaClock } from '../../src/domain/types';
import {
  claimDueSlaClocks,
  deleteSlaClock,
  finishClaimedSlaClock,
  loadSlaClock,
  loadSlaClocks,
  moveSlaClockToSurvivor,
  saveSlaClock,
  stopClaimedSlaClock,
  upsertSlaClock,
} from '../../src/storage/sla-clock-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

const clock = (handoffAt: number, extra: Partial<SlaClock> = {}): SlaClock => ({
  handoffAt,
  repOwnerId: '7',
  firstTouchDueAt: handoffAt + 1_000,
  statusUpdateDueAt: handoffAt + 2_000,
  firstTouchStatus: 'pending',
  statusUpdateStatus: 'pending',
  remindersSent: [],
  escalated: { firstTouch: false, statusUpdate: false },
  ...extra,
});

const nextCheckOf = async (db: { query: (sql: string, p: unknown[]) => Promise<{ rows: { next_check_at: number | null }[] }> }, portal: number, contact: number) =>
  (await db.query('select next_check_at from sla_clocks where portal_id = $1 and contact_id = $2', [portal, contact])).rows[0]?.next_check_at;

describeOnBothBackends('SLA clock store (sla_clocks)', (t) => {
  beforeEach(async () => {
    await t.db.query('delete from sla_clocks');
  });

  it('upserts, loads one or many, and deletes clocks', async () => {
    await upsertSlaClock(t.db, '1', '11', clock(0), 500, 1);
    await upsertSlaClock(t.db, '1', '11', clock(100), 600, 2);
    await upsertSlaClock(t.db, '1', '12', clock(200), null, 2);
    expect(await loadSlaClock(t.db, '1', '11')).toEqual(clock(100));
    expect(await nextCheckOf(t.db, 1, 11)).toBe(600);
    expect(await nextCheckOf(t.db, 1, 12)).toBeNull();
    expect(await loadSlaClocks(t.db, '1', ['11', '12', '13'])).toEqual(new Map([['11', clock(100)], ['12', clock(200)]]));
    await deleteSlaClock(t.db, '1', '11');
    expect(await loadSlaClock(t.db, '1', '11')).toBeUndefined();
  });

  it('saveSlaClock computes next_check_at from the settings, and null deletes', async () => {
    const c = clock(1_000_000);
    await saveSlaClock(t.db, '2', '21', c, DEFAULT_SETTINGS, 5);
    expect(await nextCheckOf(t.db, 2, 21)).toBe(nextSlaCheckAt(c, DEFAULT_SETTINGS));
    await saveSlaClock(t.db, '2', '21', null, DEFAULT_SETTINGS, 6);
    expect(await loadSlaClock(t.db, '2', '21')).toBeUndefined();
  });

  it('merge: the survivor keeps its own clock, else takes the latest merged one', async () => {
    await upsertSlaClock(t.db, '3', '31', clock(1), 10, 100);
    await upsertSlaClock(t.db, '3', '32', clock(2), 20, 200);
    await t.db.transaction((tx) => moveSlaClockToSurvivor(tx, '3', '30', ['31', '32']));
    expect(await loadSlaClocks(t.db, '3', ['30', '31', '32'])).toEqual(new Map([['30', clock(2)]]));
    await upsertSlaClock(t.db, '3', '33', clock(3), 30, 300);
    await t.db.transaction((tx) => moveSlaClockToSurvivor(tx, '3', '30', ['33']));
    expect(await loadSlaClocks(t.db, '3', ['30', '33'])).toEqual(new Map([['30', clock(2)]]));
  });

  it('claims due clocks once under a lease; a claim is finished or stopped only while it is still ours', async () => {
    await upsertSlaClock(t.db, '4', '41', clock(0), 100, 0);
    await upsertSlaClock(t.db, '4', '42', clock(0), 50, 0);
    await upsertSlaClock(t.db, '4', '43', clock(0), 5_000, 0);
    await upsertSlaClock(t.db, '4', '44', clock(0), null, 0);
    const claimed = await claimDueSlaClocks(t.db, 1_000, 10, 300);
    expect(claimed.map((c) => [c.portalId, c.contactId, c.lease])).toEqual([
      ['4', '42', 1_300],
      ['4', '41', 1_300],
    ]);
    expect(claimed[0]!.clock).toEqual(clock(0));
    expect(await claimDueSlaClocks(t.db, 1_000, 10, 300)).toEqual([]);
    expect(await claimDueSlaClocks(t.db, 1_000, 1, 300).then((r) => r.length)).toBe(0);

    const [c42, c41] = claimed;
    await finishClaimedSlaClock(t.db, c42!, clock(0, { firstTouchStatus: 'met' }), 2_000, 1_001);
    expect(await loadSlaClock(t.db, '4', '42')).toEqual(clock(0, { firstTouchStatus: 'met' }));
    expect(await nextCheckOf(t.db, 4, 42)).toBe(2_000);

    // The applier replaced 41 meanwhile: the stale claim changes nothing.
    await upsertSlaClock(t.db, '4', '41', clock(9), 9_000, 1_002);
    await finishClaimedSlaClock(t.db, c41!, null, null, 1_003);
    await stopClaimedSlaClock(t.db, c41!, 1_003);
    expect(await loadSlaClock(t.db, '4', '41')).toEqual(clock(9));
    expect(await nextCheckOf(t.db, 4, 41)).toBe(9_000);
  });

  it('a lease that expired makes the clock due again; stop and delete act on the current claim', async () => {
    await upsertSlaClock(t.db, '5', '51', clock(0), 100, 0);
    await upsertSlaClock(t.db, '5', '52', clock(0), 100, 0);
    await claimDueSlaClocks(t.db, 1_000, 10, 300);
    const again = await claimDueSlaClocks(t.db, 1_300, 10, 300);
    expect(again.map((c) => c.contactId).sort()).toEqual(['51', '52']);
    await stopClaimedSlaClock(t.db, again.find((c) => c.contactId === '51')!, 1_301);
    await finishClaimedSlaClock(t.db, again.find((c) => c.contactId === '52')!, null, null, 1_301);
    expect(await loadSlaClock(t.db, '5', '51')).toEqual(clock(0));
    expect(await nextCheckOf(t.db, 5, 51)).toBeNull();
    expect(await loadSlaClock(t.db, '5', '52')).toBeUndefined();
  });
});
