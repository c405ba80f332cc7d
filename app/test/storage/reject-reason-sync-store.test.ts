import { expect, it } from 'vitest';
import { createRejectReasonSyncStore } from '../../src/storage/reject-reason-sync-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

describeOnBothBackends('reject reason sync store (reject_reason_sync)', (t) => {
  it('records the last attempt per portal and keeps the last success across a failure', async () => {
    const store = createRejectReasonSyncStore(t.db);
    expect(await store.get('1')).toBeNull();
    await store.record('1', { status: 'synced', acceptedCodes: ['no_budget', 'other'], publishedCodes: ['no_budget'], error: null, attemptedAt: 1_000 });
    expect(await store.get('1')).toEqual({ status: 'synced', acceptedCodes: ['no_budget', 'other'], publishedCodes: ['no_budget'], error: null, attemptedAt: 1_000, syncedAt: 1_000 });
    await store.record('1', { status: 'failed', acceptedCodes: ['no_budget', 'other'], publishedCodes: ['no_budget', 'price'], error: { ja: '権限がありません', en: '403 MISSING_SCOPES' }, attemptedAt: 2_000 });
    expect(await store.get('1')).toEqual({ status: 'failed', acceptedCodes: ['no_budget', 'other'], publishedCodes: ['no_budget', 'price'], error: { ja: '権限がありません', en: '403 MISSING_SCOPES' }, attemptedAt: 2_000, syncedAt: 1_000 });
    expect(await store.get('2')).toBeNull();
  });
});
