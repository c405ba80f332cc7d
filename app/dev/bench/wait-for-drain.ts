import type { ChaosController } from './chaos-controller';
import { inboxCounts } from './inbox-monitor';
import type { RunState } from './run-state';
import { sleep } from './sleep';
import type { SystemUnderTest } from './start-system';

/**
 * The drain: every stored event processed (pending = 0) with the chaos finished, no
 * crash, within the deadline. The naive baseline has no inbox: it is drained once the
 * sender is done. Returns whether it drained.
 */
export async function waitForDrain(system: SystemUnderTest, state: RunState, chaos: ChaosController, opts: { naive: boolean; timeoutMs: number }): Promise<boolean> {
  let drained = opts.naive;
  const deadline = performance.now() + opts.timeoutMs;
  while (!drained && state.crashed.size === 0 && performance.now() < deadline) {
    if (!chaos.busy && chaos.finished) {
      const c = await inboxCounts(system.monitor!).catch(() => undefined);
      if (c) state.counts = c;
      if (c && c.pending === 0) drained = true;
    }
    if (!drained) await sleep(200);
  }
  return drained;
}
