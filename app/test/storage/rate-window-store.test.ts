import { expect, it } from 'vitest';
import { blockRateLane, loadRateBlock, lockRateLane, pruneAndCountRateWindow, takeRateSlot } from '../../src/storage/rate-window-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

describeOnBothBackends('rate window store (hubspot_rate_window, hubspot_rate_blocks)', (t) => {
  it('counts the calls of a sliding window per portal and lane, dropping the expired ones', async () => {
    await t.db.transaction(async (tx) => {
      await lockRateLane(tx, '1', 'standard');
      for (const at of [100, 200, 300]) await takeRateSlot(tx, '1', 'standard', at);
      await takeRateSlot(tx, '1', 'search', 150);
      await takeRateSlot(tx, '2', 'standard', 150);
    });
    expect(await pruneAndCountRateWindow(t.db, '1', 'standard', 0)).toEqual({ n: 3, oldest: 100 });
    expect(await pruneAndCountRateWindow(t.db, '1', 'standard', 200)).toEqual({ n: 1, oldest: 300 });
    expect(await pruneAndCountRateWindow(t.db, '1', 'search', 0)).toEqual({ n: 1, oldest: 150 });
    expect(await pruneAndCountRateWindow(t.db, '3', 'standard', 0)).toEqual({ n: 0, oldest: null });
  });

  it('a block only ever moves later', async () => {
    expect(await loadRateBlock(t.db, '1', 'standard')).toBe(0);
    await blockRateLane(t.db, '1', 'standard', 5_000);
    await blockRateLane(t.db, '1', 'standard', 4_000);
    expect(await loadRateBlock(t.db, '1', 'standard')).toBe(5_000);
    await blockRateLane(t.db, '1', 'standard', 6_000);
    expect(await loadRateBlock(t.db, '1', 'standard')).toBe(6_000);
    expect(await loadRateBlock(t.db, '1', 'search')).toBe(0);
  });
});
