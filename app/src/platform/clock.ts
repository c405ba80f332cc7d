/**
 * The one injectable clock of the backend process (docs/product.md, principle 2):
 * every decision takes `now` from here, never from the database server's now(),
 * so tests and the sandbox can shift time and a restart loses no deadline.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export function createSystemClock(): Clock {
  return { now: () => Date.now() };
}

/** A clock that only moves when told to: for tests, the sandbox and the demo. */
export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function createManualClock(startMs: number): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
