import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';
import { createManualClock } from '../../src/platform/clock';
import { createDatabaseRateBudget } from '../../src/hubspot/database-rate-budget';
import { createPortalRateLimiter } from '../../src/hubspot/portal-rate-limiter';
import { createMemoryRateBudget, type LaneLimits } from '../../src/hubspot/rate-budget';
import { createDatabase, type Database } from '../../src/storage/database';

const LIMITS: LaneLimits = { standard: { max: 3, windowMs: 10_000 }, search: { max: 2, windowMs: 1_000 } };

describe('memory rate budget', () => {
  it('grants max per rolling window per portal and lane, then says how long to wait', async () => {
    const b = createMemoryRateBudget(LIMITS);
    expect([await b.tryTake('1', 'standard', 0), await b.tryTake('1', 'standard', 100), await b.tryTake('1', 'standard', 200)]).toEqual([0, 0, 0]);
    expect(await b.tryTake('1', 'standard', 300)).toBe(9_700);
    expect(await b.tryTake('2', 'standard', 300)).toBe(0);
    expect(await b.tryTake('1', 'search', 300)).toBe(0);
    expect(await b.tryTake('1', 'standard', 10_000)).toBe(0);
    await b.block('2', 'standard', 5_000);
    expect(await b.tryTake('2', 'standard', 1_000)).toBe(4_000);
  });
});

describe.each(testBackends())('database rate budget on %s', (kind) => {
  const t = useTestDatabase(kind);
  let other: Database;
  beforeAll(async () => {
    other = kind === 'postgres' ? await createDatabase({ kind: 'postgres', url: t.url!, poolSize: 3 }) : t.db;
  });
  afterAll(async () => {
    if (other !== t.db) await other.close();
  });

  it('two processes share one per-portal window: together they never exceed the budget', async () => {
    const a = createDatabaseRateBudget(t.db, LIMITS);
    const b = createDatabaseRateBudget(other, LIMITS);
    const takes = await Promise.all([a, b, a, b, a, b].map((budget) => budget.tryTake('62515', 'standard', 1_000)));
    expect(takes.filter((w) => w === 0)).toHaveLength(3);
    expect(takes.filter((w) => w === 10_000)).toHaveLength(3);
    // Another portal is untouched by the first one's full window.
    expect(await b.tryTake('99', 'standard', 1_000)).toBe(0);
    // The window rolls.
    expect(await a.tryTake('62515', 'standard', 11_000)).toBe(0);
  });

  it('a 429 seen by one process pauses the lane for the other', async () => {
    const a = createDatabaseRateBudget(t.db, LIMITS);
    const b = createDatabaseRateBudget(other, LIMITS);
    await a.block('777', 'search', 50_000);
    await a.block('777', 'search', 40_000); // never shortens
    expect(await b.tryTake('777', 'search', 45_000)).toBe(5_000);
    expect(await b.tryTake('777', 'search', 50_000)).toBe(0);
  });

  it('the limiter waits (on the injected sleep) until the shared window frees', async () => {
    const clock = createManualClock(100_000);
    const waits: number[] = [];
    const limiter = createPortalRateLimiter({
      budget: createDatabaseRateBudget(t.db, LIMITS),
      clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock.advance(ms);
      },
    });
    for (let i = 0; i < 4; i++) await limiter.acquire('4242', 'standard');
    expect(waits).toEqual([10_000]);
  });
});
