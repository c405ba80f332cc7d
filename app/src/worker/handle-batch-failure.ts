import { SideEffectInFlightError } from '../hubspot/hubspot-errors';
import { InstallNotActiveError } from '../hubspot/token-service';
import { deferInboxEvents, recordInboxFailure, type InboxRow } from '../storage/inbox-store';
import { LeaseLostError } from '../storage/portal-lease-store';
import type { InboxWorkerDeps, InboxWorkerOptions } from './inbox-worker-options';

/**
 * What happens to a batch that failed:
 *  - the portal lease was lost: another instance owns the portal now, nothing to do;
 *  - the install is not active: the events wait `installPauseMs`, using no attempt;
 *  - a side effect is in flight elsewhere: the events wait until it can be known;
 *  - anything else: retried with exponential backoff (jittered); after `maxAttempts`
 *    the events are parked (kept with their error, counted in
 *    tossup_inbox_parked_total{reason="max_attempts"}), never dropped.
 * A non-retryable failure is first narrowed down by isolate-poison.ts.
 */
export type HandleBatchFailure = (portalId: string, rows: InboxRow[], err: unknown) => Promise<{ failed: number; parked: number }>;

export function createFailureHandler(deps: Pick<InboxWorkerDeps<unknown>, 'db' | 'clock' | 'logger' | 'metrics'>, opts: InboxWorkerOptions): HandleBatchFailure {
  const { db, clock, logger, metrics } = deps;
  const parked = metrics.counter('tossup_inbox_parked_total', 'Inbox events parked (kept, not dropped), by reason', ['reason']);

  return async (portalId, rows, err) => {
    const now = clock.now();
    const ids = rows.map((r) => r.id);
    if (err instanceof LeaseLostError) {
      logger.warn({ portalId }, err.message);
      return { failed: 0, parked: 0 };
    }
    if (err instanceof InstallNotActiveError) {
      logger.info({ portalId, status: err.status }, 'install not active; the portal\'s events wait');
      await deferInboxEvents(db, portalId, ids, now + opts.installPauseMs, err.message);
      return { failed: 0, parked: 0 };
    }
    if (err instanceof SideEffectInFlightError) {
      await deferInboxEvents(db, portalId, ids, Math.max(err.retryAtMs, now + 1), err.message);
      return { failed: 0, parked: 0 };
    }
    const message = err instanceof Error ? err.message : String(err);
    logger.warn({ portalId, events: ids.length, err }, 'inbox batch failed; will retry');
    const statuses = await recordInboxFailure(db, portalId, ids, {
      message,
      now,
      maxAttempts: opts.maxAttempts,
      baseBackoffMs: opts.baseBackoffMs,
      maxBackoffMs: opts.maxBackoffMs,
      random: opts.random(),
    });
    const parkedNow = statuses.filter((st) => st === 'parked').length;
    if (parkedNow > 0) {
      parked.inc({ reason: 'max_attempts' }, parkedNow);
      logger.error({ portalId, events: parkedNow, error: message }, 'inbox events parked after repeated failures; fix the cause and set them back to pending to replay');
    }
    return { failed: statuses.length - parkedNow, parked: parkedNow };
  };
}
