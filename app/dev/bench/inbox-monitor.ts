import type pg from 'pg';
import { round } from './stats-util';
import { sleep } from './sleep';

/**
 * What the bench reads from the outside while a run goes on: the inbox's row counts
 * over the monitor's single connection, and a backend's processed-event counter from
 * its /metrics.
 */
export interface InboxCounts {
  pending: number;
  parked: number;
  done: number;
  total: number;
}

export const NO_INBOX: InboxCounts = { pending: 0, parked: 0, done: 0, total: 0 };

export async function inboxCounts(client: pg.Pool): Promise<InboxCounts> {
  const r = await client.query<InboxCounts>(
    `select count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'parked')::int as parked,
            count(*) filter (where status = 'done')::int as done, count(*)::int as total from webhook_inbox`,
  );
  return r.rows[0]!;
}

/** The bench's backends run in production mode, where /metrics needs METRICS_TOKEN (start-system.ts sets it). */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';

/** A backend's /metrics text. */
async function scrapeMetrics(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` }, signal: AbortSignal.timeout(5_000) });
  return res.text();
}

export async function scrapeProcessed(port: number): Promise<number | undefined> {
  try {
    const text = await scrapeMetrics(port);
    let n = 0;
    for (const m of text.matchAll(/^tossup_inbox_processed_total\{outcome="(done|skipped)"\} (\d+)/gm)) n += Number(m[2]);
    return n;
  } catch {
    return undefined;
  }
}

/**
 * After the install the app's first reconciliation sweep looks back an hour and
 * queues every recently modified contact of the seeded portal. The burst starts once
 * that has been processed, so the run measures the burst and not the install (the
 * next sweep is 15 min of HubSpot time later: 90 s real at time scale 10).
 */
export async function settle(monitor: pg.Pool, portals: number, log: (line: string) => void): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    const swept = await monitor.query<{ n: number }>(`select count(*)::int as n from jobs where kind = 'reconcile' and run_at > created_at + 300000`);
    const c = await inboxCounts(monitor);
    if (swept.rows[0]!.n >= portals && c.pending === 0) break;
    if (performance.now() - t0 > 120_000) throw new Error(`bench: the app did not settle after install within 120 s (reconciled ${swept.rows[0]!.n}/${portals} portals, ${c.pending} events pending)`);
    await sleep(100);
  }
  log(`  settled after install in ${round((performance.now() - t0) / 1000)} s (first reconciliation sweep processed)`);
}

/**
 * The server's own view of the webhook ack time (tossup_webhook_ack_seconds, request in
 * → answer out, all statuses): the share answered within each bucket. Set against the
 * sender's figures it tells time spent in the handler from time spent queued (event
 * loop, CPU, sockets).
 */
export async function scrapeAckBuckets(port: number): Promise<Record<string, number> | undefined> {
  try {
    const text = await scrapeMetrics(port);
    const counts = new Map<string, number>();
    for (const m of text.matchAll(/^tossup_webhook_ack_seconds_bucket\{([^}]*)\} (\d+)/gm)) {
      const le = /le="([^"]+)"/.exec(m[1]!)?.[1];
      if (le) counts.set(le, (counts.get(le) ?? 0) + Number(m[2]));
    }
    const total = counts.get('+Inf') ?? 0;
    if (total === 0) return undefined;
    return Object.fromEntries([...counts].filter(([le]) => le !== '+Inf').map(([le, n]) => [`<=${Number(le) * 1000}ms`, round(n / total, 3)]));
  } catch {
    return undefined;
  }
}
