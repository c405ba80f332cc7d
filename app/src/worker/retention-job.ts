import type { BaseDeps } from '../platform/base-deps';
import type { Database } from '../storage/database';
import { createIdempotencyStore } from '../storage/idempotency-store';
import { deleteProcessedInboxEvents, dropInboxEventsOfAbsentPortals, scrubProcessedInboxPayloads } from '../storage/inbox-store';
import { deleteExpiredStates } from '../storage/oauth-state-store';
import { DEFAULT_RETENTION_OPTIONS, type RetentionOptions } from './retention-options';

/**
 * Retention, run by the worker role (README, "Configuration / Retention"):
 *  - processed inbox events: payload emptied after TOSSUP_RETENTION_INBOX_PAYLOAD_DAYS,
 *    row deleted after TOSSUP_RETENTION_INBOX_DAYS (parked events are kept for an operator);
 *  - card-API idempotency rows after TOSSUP_RETENTION_IDEMPOTENCY_HOURS;
 *  - expired OAuth states;
 *  - waiting events of uninstalled or never-installed portals after
 *    TOSSUP_RETENTION_ABSENT_PORTAL_DAYS, counted in tossup_inbox_dropped_total{reason}.
 * Privacy deletions are not waited for: the worker purges that contact's ledger, hand-off
 * log and stored payloads when the event arrives (contact-lifecycle.ts).
 *
 * Every step deletes in chunks of `batchRows` rows and is idempotent, so several
 * worker processes may run it at the same time.
 */
export interface RetentionSummary {
  inboxPayloadsEmptied: number;
  inboxRowsDeleted: number;
  idempotencyRowsDeleted: number;
  oauthStatesDeleted: number;
  inboxDropped: { uninstalled: number; never_installed: number };
}

export interface RetentionJob {
  /** One pass (`now` defaults to the clock; the bench passes a later time to measure what retention frees). */
  runOnce(now?: number): Promise<RetentionSummary>;
  start(): void;
  /** Stops the timer and waits for a pass in progress, which stops after the chunk it is deleting. */
  stop(): Promise<void>;
}

export function createRetentionJob(rt: Pick<BaseDeps, 'clock' | 'logger' | 'metrics'> & { db: Database }, options: Partial<RetentionOptions> = {}): RetentionJob {
  const opts: RetentionOptions = { ...DEFAULT_RETENTION_OPTIONS, ...options };
  const { db, clock, logger, metrics } = rt;
  const dropped = metrics.counter('tossup_inbox_dropped_total', 'Inbox events dropped unprocessed: their portal uninstalled or never installed', ['reason']);
  const removed = metrics.counter('tossup_retention_removed_total', 'Rows (or payloads) removed by retention', ['what']);
  const idempotency = createIdempotencyStore(db);

  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  let stopped = false;

  /** Repeats a chunked step until a chunk comes back short, or the job is stopped (shutdown: between chunks). */
  const drain = async (step: () => Promise<number>): Promise<number> => {
    let total = 0;
    for (;;) {
      if (stopped) return total;
      const n = await step();
      total += n;
      if (n < opts.batchRows) return total;
    }
  };

  const runOnce = async (now = clock.now()): Promise<RetentionSummary> => {
    const summary: RetentionSummary = {
      inboxPayloadsEmptied: await drain(() => scrubProcessedInboxPayloads(db, now - opts.inboxPayloadMs, opts.batchRows)),
      inboxRowsDeleted: await drain(() => deleteProcessedInboxEvents(db, now - opts.inboxRowMs, opts.batchRows)),
      idempotencyRowsDeleted: stopped ? 0 : await idempotency.purge(now - opts.idempotencyMs),
      oauthStatesDeleted: stopped ? 0 : await deleteExpiredStates(db, now),
      inboxDropped: { uninstalled: 0, never_installed: 0 },
    };
    while (!stopped) {
      const r = await dropInboxEventsOfAbsentPortals(db, now - opts.absentPortalMs, opts.batchRows);
      summary.inboxDropped.uninstalled += r.uninstalled;
      summary.inboxDropped.never_installed += r.never_installed;
      if (r.uninstalled + r.never_installed < opts.batchRows) break;
    }
    for (const [reason, n] of Object.entries(summary.inboxDropped)) if (n > 0) dropped.inc({ reason }, n);
    removed.inc({ what: 'inbox_payload' }, summary.inboxPayloadsEmptied);
    removed.inc({ what: 'inbox_row' }, summary.inboxRowsDeleted);
    removed.inc({ what: 'card_api_request' }, summary.idempotencyRowsDeleted);
    removed.inc({ what: 'oauth_state' }, summary.oauthStatesDeleted);
    const droppedTotal = summary.inboxDropped.uninstalled + summary.inboxDropped.never_installed;
    if (droppedTotal > 0) logger.warn({ dropped: summary.inboxDropped }, 'inbox events of uninstalled or never-installed portals dropped unprocessed');
    logger.info(summary, stopped ? 'retention pass stopped early (shutdown); the next pass goes on' : 'retention pass done');
    return summary;
  };
  // The first pass soon after start (a restarted worker catches up), then every intervalMs.
  const schedule = (delayMs = opts.intervalMs) => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = runOnce()
        .catch((err: unknown) => logger.error({ err }, 'retention pass failed; retried at the next interval'))
        .finally(() => schedule());
    }, delayMs);
    timer.unref();
  };

  return {
    runOnce,
    start() {
      stopped = false;
      schedule(Math.min(60_000, opts.intervalMs));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
