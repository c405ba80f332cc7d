import { createChaosController } from './chaos-controller';
import { buildBurst, sendTheBurst, warmUp } from './generate-load';
import { inboxCounts } from './inbox-monitor';
import { measureRun, processedSoFar } from './measure-run';
import { createRunState } from './run-state';
import { startSampler } from './run-sampler';
import type { ScenarioResult, ScenarioSpec } from './scenario-spec';
import { sleep } from './sleep';
import { startSystem } from './start-system';
import { createTeardown } from './teardown';
import { waitForDrain } from './wait-for-drain';

export type { ScenarioResult, ScenarioSpec } from './scenario-spec';

/**
 * One benchmark run, end to end (README.md): a fresh sandbox with its
 * portals and contacts, a fresh PostgreSQL database, the app (or the naive baseline)
 * in child processes, the signed burst, the drain, then the measurements and the
 * oracle check. Used by `npm run bench` and, with small sizes, by the scale-out and
 * chaos tests, so what the tests prove is what the bench measures.
 *
 * Phases, one file each: start-system (set-up), generate-load (data, warm-up, burst),
 * run-sampler and chaos-controller (while the burst runs), wait-for-drain,
 * measure-run with compare-with-oracle, teardown.
 */
export async function runScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  const log = spec.log ?? (() => undefined);
  const instances = spec.impl === 'naive' ? 1 : (spec.instances ?? 1);
  const teardown = createTeardown();
  try {
    const system = await startSystem(spec, instances, teardown, log);
    const burst = buildBurst(system, spec, log);

    system.sandbox.resetStats();
    if (spec.faults) system.sandbox.setFaults(spec.faults);
    const baseline = spec.impl === 'tossup' ? await processedSoFar(system.children) : new Map<number, number>();

    const state = createRunState(burst.totalEvents, system.monitor ? await inboxCounts(system.monitor) : undefined);
    const chaos = createChaosController(spec, system, state, log);
    await warmUp(system);

    const started = performance.now();
    const stopSampler = startSampler(system, state, chaos, { started, chaosRun: Boolean(spec.chaos), totalEvents: burst.totalEvents, log });
    try {
      const load = await sendTheBurst(system, burst, spec, state);
      const drained = await waitForDrain(system, state, chaos, { naive: spec.impl === 'naive', timeoutMs: spec.drainTimeoutMs ?? 600_000 });
      const finished = performance.now();
      stopSampler();
      while (chaos.busy) await sleep(50);
      return await measureRun({ spec, instances, system, burst, load, state, chaos, drained, durationMs: finished - started, baseline }, log);
    } finally {
      stopSampler();
    }
  } catch (err) {
    teardown.dumpOutput();
    throw err;
  } finally {
    await teardown.run();
  }
}
