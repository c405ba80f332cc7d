import { describe, expect, it } from 'vitest';
import { testBackends } from '../../dev/throwaway-database';
import { testLog } from '../../dev/bench/test-log';
import { runScenario, type ScenarioResult, type ScenarioSpec } from '../../dev/bench/run-scenario';

/**
 * The chaos run of app/dev/bench, reduced (one kill seed, 4,000-event bursts, a 3 s outage;
 * `npm run bench -- --chaos` runs 5 seeds, 10k events and a 30 s outage). Every
 * disturbed run must end in the undisturbed run's final state: nothing lost (every
 * event processed, none parked or dropped), nothing doubled (one task per key).
 * No timings are asserted.
 */
describe.runIf(testBackends().includes('postgres'))('chaos: the burst survives crashes, HubSpot faults and a database outage', () => {
  const shape: Omit<ScenarioSpec, 'name' | 'impl'> = { portals: 1, contactsPerPortal: 400, eventsPerPortal: 4000, seed: 23, timeScale: 10, log: testLog, drainTimeoutMs: 120_000 };
  let reference: ScenarioResult | undefined;
  const undisturbed = async () => (reference ??= await runScenario({ ...shape, name: 'undisturbed', impl: 'tossup' }));

  const expectSameEnd = (r: ScenarioResult, ref: ScenarioResult) => {
    expect(r.chaosErrors).toEqual([]);
    expect(r.mismatchExamples).toEqual([]);
    expect(r).toMatchObject({ crashes: 0, drained: true, duplicates: 0, mismatches: 0, droppedEvents: 0, parkedEvents: 0 });
    expect(r.stateDigest).toBe(ref.stateDigest);
  };

  it('kill -9 at seeded points of the burst, then restart', async () => {
    const ref = await undisturbed();
    expect(ref.correct).toBe(true);
    expect(ref.T).toBeGreaterThan(0);
    const r = await runScenario({ ...shape, name: 'kill9', impl: 'tossup', chaos: { kills: 2, killWindow: [0.05, 0.3] }, chaosSeed: 1 });
    expect(r.kills).toBe(2);
    // Both kills struck while events were still being acked or processed.
    expect(r.chaosAt.every((p) => p < 1), `chaos at ${r.chaosAt.join(', ')}`).toBe(true);
    expectSameEnd(r, ref);
  }, 240_000);

  it('20 % injected 429/5xx with latency', async () => {
    const ref = await undisturbed();
    const r = await runScenario({
      ...shape,
      name: 'faults20',
      impl: 'tossup',
      faults: { rateLimitRate: 0.1, serverErrorRate: 0.1, latencyMs: { median: 120, sigma: 0.5 }, seed: 5 },
    });
    expect(r.injectedFaults).toBeGreaterThan(0);
    expectSameEnd(r, ref);
  }, 240_000);

  it('the database refuses connections mid-burst', async () => {
    const ref = await undisturbed();
    const r = await runScenario({ ...shape, name: 'db-outage', impl: 'tossup', chaos: { dbOutageMs: 3_000 } });
    expect(r.dbOutageMs).toBe(3_000);
    expect(r.chaosAt.every((p) => p < 1), `outage at ${r.chaosAt.join(', ')}`).toBe(true);
    expectSameEnd(r, ref);
  }, 240_000);
});
