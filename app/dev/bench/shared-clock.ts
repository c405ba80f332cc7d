import type { Clock } from '../../src/platform/clock';
import type { Sleep } from '../../src/hubspot/portal-rate-limiter';

/**
 * One scaled clock shared by several processes (the bench, the sandbox inside it,
 * and every backend child). `createScaledClock` in the sandbox measures from its own
 * process start (performance.now()), so two processes would disagree; this one is
 * anchored to an agreed real epoch instead, so every process computes the same
 * "HubSpot time": startMs + (realNow − realEpochMs) × timeScale.
 *
 * Why scale at all: HubSpot's 110 requests / 10 s window shrinks to 110 / 1 s at
 * timeScale 10, so a run that is API-bound takes a tenth of the real time while every
 * ratio (calls per event, C_actual / C_min, 429s) is unchanged (README.md, "Choices worth knowing").
 */
export interface ClockSpec {
  /** Sandbox time at realEpochMs. */
  startMs: number;
  /** Real (wall-clock) epoch ms the clock is anchored to. */
  realEpochMs: number;
  timeScale: number;
}

const realNow = () => performance.timeOrigin + performance.now();

export function newClockSpec(timeScale: number): ClockSpec {
  const now = realNow();
  return { startMs: Math.floor(now), realEpochMs: now, timeScale };
}

export function createSharedClock(spec: ClockSpec): Clock {
  return { now: () => Math.floor(spec.startMs + (realNow() - spec.realEpochMs) * spec.timeScale) };
}

/**
 * Waits `ms` of scaled time. The gateway's limiter and retry backoff compute waits in
 * clock milliseconds; sleeping them as real milliseconds would make a scaled run wait
 * timeScale× too long and understate throughput.
 */
export function scaledSleep(timeScale: number): Sleep {
  return (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / timeScale)));
}
