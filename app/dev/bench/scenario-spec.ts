import type { FaultOptions } from '../sandbox';
import type { CMinTerms } from './lower-bound';
import type { DatabaseSizes } from './measure-database';

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
  /** Backend instances sharing the database (scale-out). */
  instances?: number;
  /** Each instance as two processes, TOSSUP_ROLE=web (webhooks, cards, OAuth) and TOSSUP_ROLE=worker (inbox, SLA, retention). */
  split?: boolean;
  /** Sustained sender: at most this many events per second (default: as fast as `concurrency` POSTs allow). */
  ratePerSecond?: number;
  /** Measure the database size after the drain, and after a retention pass 8 days (clock time) later. */
  measureRetention?: boolean;
  chaos?: {
    /** SIGKILL + restart this many times, at seeded random points of the run. */
    kills?: number;
    /**
     * Progress range the kill points are drawn from (default [0.05, 0.9]). Short test
     * bursts drain within a restart's time, so they draw early points to kill mid-burst.
     */
    killWindow?: [number, number];
    /**
     * How the kills stop the backend (default SIGKILL). SIGTERM tests the graceful
     * shutdown: the process must exit 0 within SHUTDOWN_BOUND_MS, else the run records a chaos error.
     */
    killSignal?: 'SIGKILL' | 'SIGTERM';
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
  /** C_min's terms (app/dev/bench/lower-bound.ts); absent in results from before they were counted. */
  cMinTerms?: CMinTerms;
  /** What `ratio` divides by: C_min with the directory term as the window measured it (lower-bound.ts boundForWindow). */
  ratioBasis?: number;
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
  /** Peak RSS per process (sampled every 100 ms and the kernel's high-water mark), MiB. */
  rssMiBByProcess: Record<string, number>;
  /** Last webhook answered → inbox drained, real ms. */
  drainAfterIngestMs: number;
  ratePerSecond?: number;
  database?: DatabaseSizes;
  /** The first web process's own ack histogram: share of POSTs answered within each bucket. */
  serverAckShare?: Record<string, number>;
  /** The sending process's own event-loop delay during the burst (its lag is inside the measured ack). */
  senderLoopDelayMs?: { p50: number; p99: number; max: number };
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
