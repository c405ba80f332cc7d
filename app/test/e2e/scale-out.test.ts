import { describe, expect, it } from 'vitest';
import { testBackends } from '../../dev/throwaway-database';
import { testLog } from '../../dev/bench/test-log';
import { runScenario, type ScenarioSpec } from '../../dev/bench/run-scenario';

/**
 * The scale-out run of app/dev/bench, reduced (`npm run bench -- --scale-out` is the full form):
 * two instances, each a TOSSUP_ROLE=web and a TOSSUP_ROLE=worker process (four
 * children running the real backend), share one PostgreSQL throwaway database and
 * one sandbox, and take the same signed burst behind a round-robin "load balancer"
 * over the web processes. Nothing is doubled, both workers do the work (the web
 * processes none: their role runs no background job), and the final state equals
 * the single all-role process's (and the oracle's). No timings are asserted.
 */
describe.runIf(testBackends().includes('postgres'))('scale-out: two web and two worker processes, one database', () => {
  it('end in the single-process state with no duplicate side effect, both workers working', async () => {
    // Four portals so both processes can hold portal leases at the same time.
    const shape: Omit<ScenarioSpec, 'name' | 'impl'> = { portals: 4, contactsPerPortal: 40, eventsPerPortal: 300, seed: 11, timeScale: 10, log: testLog, drainTimeoutMs: 90_000 };
    const one = await runScenario({ ...shape, name: 'one-process', impl: 'tossup' });
    const two = await runScenario({ ...shape, name: 'two-web-two-worker', impl: 'tossup', instances: 2, split: true });

    expect(one.correct, one.mismatchExamples.join('\n')).toBe(true);
    expect(two.mismatchExamples).toEqual([]);
    expect(two).toMatchObject({ crashes: 0, drained: true, duplicates: 0, mismatches: 0, droppedEvents: 0, parkedEvents: 0, rateLimited: 0 });
    expect(two.T).toBeGreaterThan(0); // tasks were at stake, so "no duplicates" means something
    expect(Object.keys(two.perInstance).sort()).toEqual(['web-0', 'web-1', 'worker-0', 'worker-1']);
    for (const [name, processed] of Object.entries(two.perInstance)) {
      if (name.startsWith('worker-')) expect(processed, `${name} processed no event`).toBeGreaterThan(0);
      else expect(processed, `${name} (web role) processed inbox events`).toBe(0);
    }
    expect(two.stateDigest).toBe(one.stateDigest);
  }, 240_000);
});
