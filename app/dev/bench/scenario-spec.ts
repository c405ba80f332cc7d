import type { FaultOptions } from '../sandbox';

/** What one benchmark run does (run-scenario.ts) and what it measured. */
export interface ScenarioSpec {
  name: string;
  impl: 'tossup' | 'naive';
  portals: number;
  contactsPerPortal: number;
  eventsPerPortal: number;
  seed: number;
  /** Seeds where the chaos strikes (kill points); the data stays that of `seed`. */
  chaosSeed?: number;
  /** Sandbox/app clock speed-up (10: the 10 s rate window lasts 1 s). */
  timeScale: number;
  redeliveryRate?: number;
  zipfS?: number;
  /** Injected into the sandbox once the app is installed. */
  faults?: FaultOptions;
  /** Backend processes sharing the database (scale-out). */
  instances?: number;
  chaos?: {
    /** SIGKILL + restart this many times, at seeded random points of the run. */
    kills?: number;
    /**
     * Progress range the kill points are drawn from (default [0.05, 0.9]). Short test
     * bursts drain within a restart's time, so they draw early points to kill mid-burst.
     */
    killWindow?: [number, number];
    /** Make the database refuse connections for this long (real ms), once, early in the run. */
    dbOutageMs?: number;
  };
  /** Sender retries before it drops a batch (HubSpot: 10). */
  maxRetries?: number;
  /** Card API GETs to time after the drain (warm cache). */
  cardRequests?: number;
  drainTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ScenarioResult {
  name: string;
  impl: 'tossup' | 'naive';
  portals: number;
  instances: number;
  events: number;
  K: number;
  U: number;
  T: number;
  cMin: number;
  calls: number;
  callsPerEvent: number;
  ratio: number;
  rateLimited: number;
  injectedFaults: number;
  ackMs: { p50: number; p95: number; p99: number; max: number; count: number };
  postStatuses: Record<string, number>;
  eventsPerSecond: number;
  /** First POST → inbox drained (last side effect committed), real ms. */
  durationMs: number;
  /** First POST → last answer, real ms. */
  ingestMs: number;
  peakRssMiB: number;
  duplicates: number;
  mismatches: number;
  mismatchExamples: string[];
  droppedEvents: number;
  parkedEvents: number;
  correct: boolean;
  /** Events processed per backend instance (from /metrics, alive instances only). */
  perInstance: Record<string, number>;
  kills: number;
  restarts: number;
  dbOutageMs: number;
  drained: boolean;
  /** Inbox progress (0–1: half acked share, half processed share) at each chaos action. */
  chaosAt: number[];
  /** Chaos actions that failed (the run is then not a valid chaos run). */
  chaosErrors: string[];
  /** Backend processes that died on their own (not killed by the chaos controller). */
  crashes: number;
  card?: { requests: number; statuses: Record<string, number>; p50: number; p95: number };
  endpoints: Record<string, number>;
  /** Hash of the compared final state; equal for runs that end in the same state. */
  stateDigest: string;
}
