import { describe, expect, it } from 'vitest';
import { CLAIM_LEASE_MS, createIdempotencyStore } from '../../src/storage/idempotency-store';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';

describe.each(testBackends())('card API idempotency store on %s', (kind) => {
  const t = useTestDatabase(kind);

  it('claims once, reports in-progress, replays the answer, refuses a different request', async () => {
    const store = createIdempotencyStore(t.db);
    expect(await store.claim('1', 'k-replay', 'h1', 1_000)).toEqual({ kind: 'claimed', clockAt: 1_000 });
    expect(await store.claim('1', 'k-replay', 'h1', 1_500)).toEqual({ kind: 'in_progress' });
    await store.complete('1', 'k-replay', 200, { ok: true, data: { n: 1 } }, 2_000);
    expect(await store.claim('1', 'k-replay', 'h1', 3_000)).toEqual({ kind: 'replay', statusCode: 200, response: { ok: true, data: { n: 1 } } });
    expect(await store.claim('1', 'k-replay', 'h2', 3_000)).toEqual({ kind: 'mismatch' });
    // Keys are per portal.
    expect(await store.claim('2', 'k-replay', 'h2', 3_000)).toEqual({ kind: 'claimed', clockAt: 3_000 });
  });

  it('hands a released or expired claim to exactly one retry, with the first clock', async () => {
    const store = createIdempotencyStore(t.db);
    await store.claim('1', 'k-retry', 'h', 10_000);
    await store.release('1', 'k-retry');
    const [a, b] = await Promise.all([store.claim('1', 'k-retry', 'h', 12_000), store.claim('1', 'k-retry', 'h', 12_000)]);
    expect([a, b].filter((r) => r.kind === 'claimed')).toEqual([{ kind: 'claimed', clockAt: 10_000 }]);
    expect(await store.claim('1', 'k-retry', 'h', 12_000 + CLAIM_LEASE_MS)).toEqual({ kind: 'claimed', clockAt: 10_000 });
  });

  it('purges old answers', async () => {
    const store = createIdempotencyStore(t.db);
    await store.claim('3', 'k-old', 'h', 5);
    expect(await store.purge(6)).toBeGreaterThanOrEqual(1);
    expect(await store.claim('3', 'k-old', 'h', 7)).toEqual({ kind: 'claimed', clockAt: 7 });
  });
});
