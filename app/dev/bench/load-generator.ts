import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Clock } from '../../src/platform/clock';
import type { WebhookEvent } from '../sandbox';
import { postSignedBatch } from './post-signed-batch';
import type { PortalWorkload } from './workload';

/**
 * Plays HubSpot's webhook sender against one or more app instances:
 *  - POSTs of up to 100 events, one portal per POST, at most `concurrency` in flight
 *    (HubSpot's `maxConcurrentRequests`, 10 in our webhooks-hsmeta.json);
 *  - v3-signed over the app's *public* URL with the shared clock's timestamp;
 *  - a 5 s answer deadline (real time: it bounds our ack latency, which the time
 *    scale does not shrink); any non-2xx, timeout or connection error is retried with
 *    HubSpot's backoff (60 s doubling, in sandbox time, so ÷ timeScale in real time),
 *    attemptNumber counting up, at most `maxRetries` times, then dropped and counted
 *    (https://developers.hubspot.com/docs/api/webhooks#retries);
 *  - several instances (scale-out) are served round-robin, like a load balancer;
 *  - with `ratePerSecond`, a sustained sender: first attempts start on a fixed
 *    schedule (batch k at k × batchSize / rate), so the ack latency is measured at that
 *    rate while the worker drains, not at whatever rate the app's answers allow.
 * Ack latency is measured per answered POST, in real milliseconds.
 */
export interface LoadOptions {
  clientSecret: string;
  clock: Clock;
  timeScale: number;
  /** Signed URL (PUBLIC_BASE_URL + /webhooks/hubspot). */
  publicUrl: string;
  /** Where to send: re-read for every POST (chaos restarts keep the port). */
  targets: () => string[];
  concurrency?: number;
  batchSize?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** First retry delay in sandbox ms (HubSpot: 60 s). */
  retryBaseMs?: number;
  /** Give up (the rest counts as dropped): e.g. the app crashed and nobody restarts it. */
  shouldStop?: () => boolean;
  /** Sustained mode: events per second (real time) of first attempts. */
  ratePerSecond?: number;
  onProgress?: (p: { posted: number; acked: number; total: number; retriesPending: number }) => void;
}

export interface LoadResult {
  posts: number;
  /** Latency of every POST that got an HTTP answer, real ms. */
  ackMs: number[];
  statuses: Record<string, number>;
  failedAttempts: number;
  droppedEvents: number;
  eventsAcked: number;
  startedAt: number;
  finishedAt: number;
  /**
   * Event-loop delay of the sending process during the burst, ms (the sender's own process in
   * sustained runs, sender-process.ts; else the bench process with the sandbox): a POST's
   * measured ack includes the time its answer waited here to be read.
   */
  senderLoopDelayMs: { p50: number; p99: number; max: number };
}

interface Batch {
  portalId: number;
  events: WebhookEvent[];
  attempt: number;
}

export async function sendBurst(workloads: PortalWorkload[], opts: LoadOptions): Promise<LoadResult> {
  const concurrency = opts.concurrency ?? 10;
  const batchSize = opts.batchSize ?? 100;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const maxRetries = opts.maxRetries ?? 10;
  const retryBase = opts.retryBaseMs ?? 60_000;

  // Interleave the portals' batches so a multi-portal burst arrives mixed.
  const perPortal = workloads.map((w) => {
    const list: Batch[] = [];
    for (let i = 0; i < w.events.length; i += batchSize) list.push({ portalId: w.portalId, events: w.events.slice(i, i + batchSize), attempt: 0 });
    return list;
  });
  const queue: Batch[] = [];
  for (let i = 0; perPortal.some((l) => i < l.length); i++) for (const l of perPortal) if (l[i]) queue.push(l[i]!);
  const total = queue.reduce((n, b) => n + b.events.length, 0);

  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const result: LoadResult = {
    posts: 0,
    ackMs: [],
    statuses: {},
    failedAttempts: 0,
    droppedEvents: 0,
    eventsAcked: 0,
    startedAt: performance.now(),
    finishedAt: 0,
    senderLoopDelayMs: { p50: 0, p99: 0, max: 0 },
  };
  let retriesPending = 0;
  let scheduled = 0;
  /** Sustained mode: waits for this first attempt's slot on the schedule. */
  const pace = async (batch: Batch) => {
    if (!opts.ratePerSecond || batch.attempt > 0) return;
    const due = result.startedAt + (scheduled++ * batchSize * 1000) / opts.ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  };
  let rr = 0;
  let wake: (() => void) | undefined;
  const progress = () => opts.onProgress?.({ posted: result.posts, acked: result.eventsAcked, total, retriesPending });

  const post = async (batch: Batch): Promise<boolean> => {
    const targets = opts.targets();
    const target = targets[rr++ % targets.length]!;
    const body = JSON.stringify(batch.events.map((e) => ({ ...e, attemptNumber: Math.max(e.attemptNumber, batch.attempt) })));
    const timestamp = opts.clock.now();
    const started = performance.now();
    result.posts++;
    try {
      const res = await postSignedBatch({ target, publicUrl: opts.publicUrl, clientSecret: opts.clientSecret, body, timestamp, signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      result.ackMs.push(performance.now() - started);
      result.statuses[String(res.status)] = (result.statuses[String(res.status)] ?? 0) + 1;
      return res.ok;
    } catch (err) {
      const key = (err as Error).name === 'TimeoutError' ? 'timeout' : 'connection_error';
      result.statuses[key] = (result.statuses[key] ?? 0) + 1;
      return false;
    }
  };

  const worker = async () => {
    for (;;) {
      if (opts.shouldStop?.()) {
        for (const b of queue.splice(0)) result.droppedEvents += b.events.length;
        if (retriesPending === 0) return;
      }
      const batch = queue.shift();
      if (!batch) {
        if (retriesPending === 0) return;
        await new Promise<void>((resolve) => {
          const prev = wake;
          wake = () => {
            prev?.();
            resolve();
          };
        });
        continue;
      }
      await pace(batch);
      const ok = await post(batch);
      if (ok) result.eventsAcked += batch.events.length;
      else {
        result.failedAttempts++;
        if (batch.attempt >= maxRetries) result.droppedEvents += batch.events.length;
        else {
          retriesPending++;
          const delay = (retryBase * 2 ** batch.attempt) / opts.timeScale;
          setTimeout(() => {
            retriesPending--;
            queue.push({ ...batch, attempt: batch.attempt + 1 });
            const w = wake;
            wake = undefined;
            w?.();
          }, delay);
        }
      }
      progress();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  result.finishedAt = performance.now();
  loopDelay.disable();
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  result.senderLoopDelayMs = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
  return result;
}
