import { expect, it } from 'vitest';
import { assertPortalLease, claimPortalLease, LeaseLostError, releasePortalLease } from '../../src/storage/portal-lease-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

describeOnBothBackends('portal lease store (inbox_portal_leases)', (t) => {
  it('one holder at a time; the holder may re-claim; an expired lease is taken over', async () => {
    expect(await claimPortalLease(t.db, '1', 'a', 1_000, 100)).toBe(true);
    expect(await claimPortalLease(t.db, '1', 'b', 1_050, 100)).toBe(false);
    expect(await claimPortalLease(t.db, '1', 'a', 1_050, 100)).toBe(true);
    expect(await claimPortalLease(t.db, '1', 'b', 1_151, 100)).toBe(true);
    expect(await claimPortalLease(t.db, '2', 'a', 1_151, 100)).toBe(true);
  });

  it('release frees the lease at once, only for its holder', async () => {
    await claimPortalLease(t.db, '3', 'a', 1_000, 100);
    await releasePortalLease(t.db, '3', 'b', 1_010);
    expect(await claimPortalLease(t.db, '3', 'b', 1_020, 100)).toBe(false);
    await releasePortalLease(t.db, '3', 'a', 1_030);
    expect(await claimPortalLease(t.db, '3', 'b', 1_040, 100)).toBe(true);
  });

  it('fencing: the holder extends its lease in the commit transaction; a lost lease throws', async () => {
    await claimPortalLease(t.db, '4', 'a', 1_000, 100);
    await t.db.transaction((tx) => assertPortalLease(tx, '4', 'a', 1_090, 500));
    expect(await claimPortalLease(t.db, '4', 'b', 1_200, 100)).toBe(false); // extended to 1,590
    const err = await t.db.transaction((tx) => assertPortalLease(tx, '4', 'b', 1_200, 500)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseLostError);
    expect(err).toMatchObject({ portalId: '4', holder: 'b' });
    await expect(t.db.transaction((tx) => assertPortalLease(tx, '4', 'a', 1_600, 500))).rejects.toThrow(LeaseLostError);
  });
});
