import type { ChaosController } from './chaos-controller';
import { inboxCounts } from './inbox-monitor';
import type { RunState } from './run-state';
import type { SystemUnderTest } from './start-system';
import { round } from './stats-util';

/**
 * Sampling while the burst runs, every 100 ms: the inbox counts (for progress), the
 * chaos controller's next step, crash detection, and a progress line every 2 s.
 * Returns the function that stops it.
 */
export function startSampler(system: SystemUnderTest, state: RunState, chaos: ChaosController, opts: { started: number; chaosRun: boolean; totalEvents: number; log: (line: string) => void }): () => void {
  const { monitor, sandbox, children } = system;
  const { log } = opts;
  let lastLog = 0;
  // The monitor's count over webhook_inbox costs the database real work on a big
  // inbox, so it runs at most every 500 ms and never twice at once; chaos runs sample
  // every 100 ms so their actions land at the intended progress of a short burst.
  const countEveryMs = opts.chaosRun ? 100 : 500;
  let counting = false;
  let lastCount = 0;
  const ticker = setInterval(() => {
    void (async () => {
      if (monitor && !counting && performance.now() - lastCount >= countEveryMs) {
        counting = true;
        state.counts = await inboxCounts(monitor).catch(() => state.counts);
        lastCount = performance.now();
        counting = false;
      }
      void chaos.step();
      // A backend that died without being killed by the chaos controller is a crash:
      // report it with its last output instead of waiting for the timeout.
      for (const c of children) {
        if (!chaos.busy && !state.crashed.has(c.pid) && (c.proc.exitCode !== null || c.proc.signalCode !== null)) {
          state.crashed.add(c.pid);
          log(`  ${c.name} (pid ${c.pid}) CRASHED (exit ${String(c.proc.exitCode ?? c.proc.signalCode)}):\n${c.output().split('\n').slice(-15).join('\n')}`);
        }
      }
      const now = performance.now();
      if (now - lastLog > 2_000) {
        lastLog = now;
        const calls = Object.values(sandbox.stats().portals).reduce((n, p) => n + p.calls, 0);
        log(`  ${round((now - opts.started) / 1000)} s: acked ${state.acked}/${opts.totalEvents}, inbox pending ${state.counts.pending} done ${state.counts.done}, API calls ${calls}`);
      }
    })();
  }, 100);
  return () => clearInterval(ticker);
}
