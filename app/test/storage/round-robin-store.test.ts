import { expect, it } from 'vitest';
import { incrementRoundRobinCount, loadRoundRobinCounts } from '../../src/storage/round-robin-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

describeOnBothBackends('round-robin store (round_robin_counts)', (t) => {
  it('counts assignments per pool and owner, per portal', async () => {
    expect(await loadRoundRobinCounts(t.db, '1')).toEqual({ inside_sales: {}, sales: {} });
    await t.db.transaction(async (tx) => {
      await incrementRoundRobinCount(tx, '1', 'sales', '7', 10);
      await incrementRoundRobinCount(tx, '1', 'sales', '7', 11);
      await incrementRoundRobinCount(tx, '1', 'inside_sales', '8', 12);
    });
    await incrementRoundRobinCount(t.db, '2', 'sales', '7', 13);
    expect(await loadRoundRobinCounts(t.db, '1')).toEqual({ inside_sales: { '8': 1 }, sales: { '7': 2 } });
  });

  it('ignores pools the engine does not know', async () => {
    await t.db.query(`insert into round_robin_counts (portal_id, pool, owner_id, assignments, updated_at) values (3, 'retired_pool', '9', 4, 0)`);
    expect(await loadRoundRobinCounts(t.db, '3')).toEqual({ inside_sales: {}, sales: {} });
  });
});
