import type { Clock } from '../../src/platform/clock';

/**
 * The sandbox's clock. With no injected clock it runs `timeScale` times faster than
 * the wall clock, so with timeScale=10 HubSpot's 10-second rate-limit window passes in
 * one real second and a 30-minute token expires in three minutes: benchmarks run fast
 * with the same ratios. `advance()` jumps forward (scenario "advance the clock").
 *
 * In sandbox mode the app and the sandbox share one in-process clock: pass the app's
 * clock as `options.clock`. It can only be advanced if it has `advance()` (a ManualClock
 * or the clock this module creates).
 */
export interface SandboxClock extends Clock {
  readonly timeScale: number;
  /** Moves the clock forward; throws when the injected clock cannot be moved. */
  advance(ms: number): void;
  /** Converts a duration in sandbox (HubSpot) time to real milliseconds for timers. */
  toRealMs(sandboxMs: number): number;
}

export function createScaledClock(timeScale: number, startMs: number = Date.now()): Clock & { advance(ms: number): void } {
  const realStart = performance.now();
  let offset = 0;
  return {
    now: () => Math.floor(startMs + (performance.now() - realStart) * timeScale + offset),
    advance: (ms) => {
      offset += ms;
    },
  };
}

export function createSandboxClock(options: { clock?: Clock; timeScale?: number }): SandboxClock {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new Error(`sandbox: timeScale must be a positive number (got ${timeScale}); use 1 for real time, 10 to run ten times faster`);
  }
  const base: Clock & { advance?: (ms: number) => void } = options.clock ?? createScaledClock(timeScale);
  return {
    timeScale,
    now: () => base.now(),
    advance: (ms) => {
      if (typeof base.advance !== 'function') {
        throw new Error('sandbox: the injected clock cannot be advanced; pass a ManualClock (createManualClock) or let the sandbox create its own clock');
      }
      base.advance(ms);
    },
    toRealMs: (sandboxMs) => Math.max(0, sandboxMs / timeScale),
  };
}
