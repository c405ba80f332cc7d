import { randomUUID } from 'node:crypto';
import { SandboxHttpError, tenSecondlyRateLimited } from './hubspot-errors';
import { createPrng, type Prng } from './prng';

/**
 * Fault injection for the benchmark and the gateway's tests. Applied to authenticated
 * API calls (not OAuth token calls, not /__sandbox). Deterministic for a given seed.
 */
export interface FaultOptions {
  /** Added latency in sandbox (HubSpot) milliseconds: a fixed number, or log-normal with this median. Real sleep = latency / timeScale. */
  latencyMs?: number | { median: number; sigma?: number };
  /** Share of requests answered with a 5xx (500/502/503), 0..1. */
  serverErrorRate?: number;
  /** Share of requests answered 423 Locked (HubSpot holds a record lock about 2 s), 0..1. */
  lockedRate?: number;
  /** Share of non-search requests answered with a TEN_SECONDLY_ROLLING 429 regardless of the budget, 0..1. */
  rateLimitRate?: number;
  /** The next N non-search requests get a TEN_SECONDLY_ROLLING 429 (counts down). */
  force429Count?: number;
  /** PRNG seed for the above. */
  seed?: number;
}

export interface FaultInjector {
  set(options: FaultOptions): void;
  get(): FaultOptions;
  /** Latency to add before answering, in sandbox ms. */
  latency(): number;
  /** A fault to answer with instead of the real handler, if any. */
  pick(isSearch: boolean, rateHeaders: Record<string, string>): { kind: 'server_error' | 'locked' | 'rate_limit'; error: SandboxHttpError } | undefined;
}

export function createFaultInjector(initial: FaultOptions = {}): FaultInjector {
  let opts: FaultOptions = { ...initial };
  let prng: Prng = createPrng(opts.seed ?? 7);
  const check = (name: string, v: number | undefined) => {
    if (v !== undefined && !(v >= 0 && v <= 1)) throw new Error(`sandbox faults: ${name} must be between 0 and 1 (got ${v})`);
  };
  const validate = (o: FaultOptions) => {
    check('serverErrorRate', o.serverErrorRate);
    check('lockedRate', o.lockedRate);
    check('rateLimitRate', o.rateLimitRate);
  };
  validate(opts);
  return {
    set: (o) => {
      validate(o);
      opts = { ...o };
      prng = createPrng(o.seed ?? 7);
    },
    get: () => ({ ...opts }),
    latency: () => {
      const l = opts.latencyMs;
      if (l === undefined) return 0;
      if (typeof l === 'number') return l;
      return l.median * Math.exp((l.sigma ?? 0.5) * prng.normal());
    },
    pick: (isSearch, rateHeaders) => {
      if (!isSearch && (opts.force429Count ?? 0) > 0) {
        opts.force429Count = (opts.force429Count ?? 1) - 1;
        return { kind: 'rate_limit', error: tenSecondlyRateLimited(rateHeaders) };
      }
      if (!isSearch && opts.rateLimitRate && prng.next() < opts.rateLimitRate) return { kind: 'rate_limit', error: tenSecondlyRateLimited(rateHeaders) };
      if (opts.serverErrorRate && prng.next() < opts.serverErrorRate) {
        const status = prng.pick([500, 502, 503]);
        return {
          kind: 'server_error',
          error: new SandboxHttpError(status, { status: 'error', message: 'internal error (injected by the sandbox fault settings)', correlationId: randomUUID(), category: 'INTERNAL_ERROR' }),
        };
      }
      if (opts.lockedRate && prng.next() < opts.lockedRate) {
        return {
          kind: 'locked',
          error: new SandboxHttpError(423, { status: 'error', message: 'The record is locked by another update; retry in about 2 seconds (injected by the sandbox fault settings)', correlationId: randomUUID(), category: 'LOCKED' }),
        };
      }
      return undefined;
    },
  };
}
