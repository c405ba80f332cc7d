import { describe, expect, it } from 'vitest';
import { testBackends } from '../../dev/throwaway-database';
import { testLog } from '../../dev/bench/test-log';
import { runScenario, type ScenarioSpec } from '../../dev/bench/run-scenario';

/**
 * Issue 13, "Graceful shutdown": a real backend process (app/dev/bench/backend-process.ts,
 * the product's createBackend + stopOnSignals, PostgreSQL throwaway database, the
 * sandbox) gets SIGTERM mid-burst and is restarted. The stop must
 * exit 0 within SHUTDOWN_BOUND_MS (the chaos controller records anything else as a
 * chaos error), and the run must end in the undisturbed run's state: nothing lost,
 * nothing doubled. No timings are asserted beyond the bound.
 */
describe.runIf(testBackends().includes('postgres'))('graceful shutdown: SIGTERM mid-burst', () => {
  it('exits 0 within the bound, and the restarted process drains to the same end state', async () => {
    const shape: Omit<ScenarioSpec, 'name' | 'impl'> = { portals: 1, contactsPerPortal: 400, eventsPerPortal: 4000, seed: 29, timeScale: 10, log: testLog, drainTimeoutMs: 120_000 };
    const ref = await runScenario({ ...shape, name: 'undisturbed', impl: 'tossup' });
    expect(ref.correct).toBe(true);
    const r = await runScenario({ ...shape, name: 'sigterm', impl: 'tossup', chaos: { kills: 1, killWindow: [0.05, 0.2], killSignal: 'SIGTERM' }, chaosSeed: 3 });
    expect(r.kills).toBe(1);
    expect(r.chaosAt.every((p) => p < 1), `SIGTERM at ${r.chaosAt.join(', ')}`).toBe(true);
    expect(r.chaosErrors).toEqual([]);
    expect(r.mismatchExamples).toEqual([]);
    expect(r).toMatchObject({ crashes: 0, drained: true, duplicates: 0, mismatches: 0, droppedEvents: 0, parkedEvents: 0 });
    expect(r.stateDigest).toBe(ref.stateDigest);
  }, 240_000);
});
