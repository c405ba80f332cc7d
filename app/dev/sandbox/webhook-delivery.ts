import { createHash } from 'node:crypto';
import { signV3 } from '../../src/platform/hubspot-signature';
import type { Prng } from './prng';
import type { SandboxClock } from './sandbox-clock';
import type { StatsRecorder } from './stats';
import type { QueuedWebhookEvent, WebhookEvent } from './webhook-subscriptions';

/**
 * Delivers webhook events to the app the way HubSpot does
 * (https://developers.hubspot.com/docs/api/webhooks#webhooks-api-limits and "Retries"):
 *  - POST of a JSON array, at most 100 events, one portal per request;
 *  - at most `maxConcurrentRequests` (webhooks-hsmeta.json, default 10) requests in flight per portal;
 *  - signed with v3 (`X-HubSpot-Signature-v3` over METHOD + public URL + body + timestamp) and the
 *    legacy v1 header, timestamp in ms from the shared clock;
 *  - at least once: any non-2xx, connection error or no answer within 5 s is retried, up to 10
 *    times with exponential backoff (HubSpot spreads retries over 24 h; the sandbox backs off from
 *    60 s, divided by timeScale), attemptNumber counting 0, 1, 2, …;
 *  - no ordering promise; optional duplicates and shuffling for the pipeline's tests.
 * `flush()` sends everything now (retries too, ignoring their backoff) and awaits the answers.
 */
export const WEBHOOK_BATCH_MAX = 100;
export const WEBHOOK_TIMEOUT_MS = 5_000;
export const WEBHOOK_MAX_RETRIES = 10;

export interface WebhookDeliveryOptions {
  /** Where to POST (the app's webhook route as reachable from here). Unset: events wait until setTarget(). */
  url?: string;
  /** The URL HubSpot would call (the app's public webhook URL); the v3 signature covers it. Default: url. */
  publicUrl?: string;
  maxConcurrentRequests?: number;
  /** Real ms to wait for more events before sending a partial batch. */
  batchWindowMs?: number;
  /** Real ms (not scaled): HubSpot's 5 s answer deadline. */
  timeoutMs?: number;
  maxRetries?: number;
  /** First retry delay in sandbox ms, doubled per attempt, divided by timeScale for the real timer. */
  retryBaseDelayMs?: number;
  /** Share of events delivered twice (same eventId), 0..1. */
  duplicateRate?: number;
  /** Shuffle events inside and across batches. */
  shuffle?: boolean;
  /** Start paused (deliver only on flush/resume). */
  paused?: boolean;
}

export interface DeliveryAttempt {
  portalId: number;
  attemptNumber: number;
  eventIds: number[];
  status?: number;
  error?: string;
  at: number;
}

export interface FlushResult {
  delivered: number;
  dropped: number;
}

export interface WebhookDelivery {
  enqueue(events: QueuedWebhookEvent[]): void;
  setTarget(url: string, publicUrl?: string): void;
  pause(): void;
  resume(): void;
  flush(): Promise<FlushResult>;
  pending(): number;
  /** The most recent attempts (newest last, bounded). */
  log(): DeliveryAttempt[];
  close(): Promise<void>;
}

interface Batch {
  portalId: number;
  events: QueuedWebhookEvent[];
  attempt: number;
  dueReal: number;
}

const LOG_LIMIT = 10_000;

export function createWebhookDelivery(deps: { clock: SandboxClock; clientSecret: string; stats: StatsRecorder; prng: Prng; options: WebhookDeliveryOptions }): WebhookDelivery {
  const o = deps.options;
  let url = o.url;
  let publicUrl = o.publicUrl ?? o.url;
  let paused = o.paused ?? false;
  let flushing = false;
  let closed = false;
  const maxConcurrent = o.maxConcurrentRequests ?? 10;
  const timeoutMs = o.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const maxRetries = o.maxRetries ?? WEBHOOK_MAX_RETRIES;
  const retryBase = o.retryBaseDelayMs ?? 60_000;
  const fresh: QueuedWebhookEvent[] = [];
  const retrying: Batch[] = [];
  const inFlight = new Map<number, number>();
  const running = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  const attempts: DeliveryAttempt[] = [];
  let windowTimer: NodeJS.Timeout | undefined;
  let delivered = 0;
  let dropped = 0;
  let inFlightEvents = 0;

  const inFlightTotal = () => [...inFlight.values()].reduce((a, b) => a + b, 0);
  const hasCapacity = (portalId: number) => (inFlight.get(portalId) ?? 0) < maxConcurrent;

  const shuffle = <T,>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(deps.prng.next() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  };

  function record(a: DeliveryAttempt) {
    attempts.push(a);
    if (attempts.length > LOG_LIMIT) attempts.splice(0, attempts.length - LOG_LIMIT);
  }

  async function post(batch: Batch): Promise<void> {
    const events: WebhookEvent[] = batch.events.map((e) => ({ ...e, attemptNumber: batch.attempt }));
    const body = JSON.stringify(o.shuffle ? shuffle(events) : events);
    const timestamp = deps.clock.now();
    const target = url as string;
    const signed = publicUrl ?? target;
    let status: number | undefined;
    let error: string | undefined;
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (tossup sandbox)',
          'X-HubSpot-Signature-v3': signV3({ clientSecret: deps.clientSecret, method: 'POST', uri: signed, body, timestamp }),
          'X-HubSpot-Request-Timestamp': String(timestamp),
          // Legacy v1: sha256 hex of secret + body (still sent by HubSpot on webhooks).
          'X-HubSpot-Signature': createHash('sha256').update(deps.clientSecret + body, 'utf8').digest('hex'),
          'X-HubSpot-Signature-Version': 'v1',
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      error = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message;
    }
    record({ portalId: batch.portalId, attemptNumber: batch.attempt, eventIds: batch.events.map((e) => e.eventId), ...(status !== undefined ? { status } : {}), ...(error ? { error } : {}), at: deps.clock.now() });
    if (status !== undefined && status >= 200 && status < 300) {
      deps.stats.webhooks.batchesDelivered++;
      deps.stats.webhooks.eventsDelivered += batch.events.length;
      delivered += batch.events.length;
      return;
    }
    deps.stats.webhooks.failedAttempts++;
    if (batch.attempt >= maxRetries || closed) {
      deps.stats.webhooks.eventsDropped += batch.events.length;
      dropped += batch.events.length;
      return;
    }
    const delay = deps.clock.toRealMs(Math.min(retryBase * 2 ** batch.attempt, 8 * 3600_000) * (0.75 + deps.prng.next() * 0.5));
    retrying.push({ ...batch, attempt: batch.attempt + 1, dueReal: performance.now() + delay });
    const t = setTimeout(() => {
      timers.delete(t);
      pump();
    }, delay);
    t.unref();
    timers.add(t);
  }

  function send(batch: Batch) {
    inFlight.set(batch.portalId, (inFlight.get(batch.portalId) ?? 0) + 1);
    inFlightEvents += batch.events.length;
    const p = post(batch).finally(() => {
      inFlight.set(batch.portalId, (inFlight.get(batch.portalId) ?? 1) - 1);
      inFlightEvents -= batch.events.length;
      running.delete(p);
      pump();
    });
    running.add(p);
  }

  function pump() {
    if (!url || closed || (paused && !flushing)) return;
    const now = performance.now();
    for (let i = 0; i < retrying.length; ) {
      const b = retrying[i] as Batch;
      if ((flushing || b.dueReal <= now) && hasCapacity(b.portalId)) {
        retrying.splice(i, 1);
        send(b);
      } else i++;
    }
    while (fresh.length > 0) {
      const idx = fresh.findIndex((e) => hasCapacity(e.portalId));
      if (idx < 0) break;
      const portalId = (fresh[idx] as QueuedWebhookEvent).portalId;
      const events: QueuedWebhookEvent[] = [];
      for (let i = idx; i < fresh.length && events.length < WEBHOOK_BATCH_MAX; ) {
        if ((fresh[i] as QueuedWebhookEvent).portalId === portalId) events.push(...fresh.splice(i, 1));
        else i++;
      }
      send({ portalId, events, attempt: 0, dueReal: now });
    }
  }

  function schedule() {
    if (fresh.length >= WEBHOOK_BATCH_MAX) {
      setImmediate(pump);
      return;
    }
    if (windowTimer) return;
    windowTimer = setTimeout(() => {
      windowTimer = undefined;
      pump();
    }, o.batchWindowMs ?? 20);
    windowTimer.unref();
  }

  return {
    enqueue: (events) => {
      if (events.length === 0 || closed) return;
      deps.stats.webhooks.eventsQueued += events.length;
      for (const e of events) {
        fresh.push(e);
        if (o.duplicateRate && deps.prng.next() < o.duplicateRate) {
          fresh.push({ ...e });
          deps.stats.webhooks.duplicatesInjected++;
        }
      }
      if (o.shuffle) shuffle(fresh);
      schedule();
    },
    setTarget: (u, p) => {
      url = u;
      publicUrl = p ?? u;
      pump();
    },
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      pump();
    },
    flush: async () => {
      if (!url) {
        throw new Error('sandbox: flushWebhooks() has nowhere to deliver; pass appWebhookUrl to createSandbox() or call sandbox.configureApp({ webhookUrl })');
      }
      const before = { delivered, dropped };
      flushing = true;
      try {
        while (fresh.length > 0 || retrying.length > 0 || inFlightTotal() > 0) {
          pump();
          if (running.size > 0) await Promise.race(running);
          else await new Promise((r) => setImmediate(r));
        }
      } finally {
        flushing = false;
      }
      return { delivered: delivered - before.delivered, dropped: dropped - before.dropped };
    },
    pending: () => fresh.length + retrying.reduce((n, b) => n + b.events.length, 0) + inFlightEvents,
    log: () => attempts.slice(),
    close: async () => {
      closed = true;
      if (windowTimer) clearTimeout(windowTimer);
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...running]);
    },
  };
}
