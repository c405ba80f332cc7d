import { HubSpotApiError } from '../hubspot/hubspot-errors';
import { parkInboxEvents, type InboxRow } from '../storage/inbox-store';
import { describeEvent } from '../domain/webhook-event';
import type { HandleBatchFailure } from './handle-batch-failure';
import type { InboxWorkerDeps, InboxWorkerOptions } from './inbox-worker-options';
import type { ProcessBatch } from './process-batch';

/**
 * Poison isolation: one contact HubSpot always refuses (a 400 from a validation rule in
 * the portal, say) must not hold back the other events of its batch. A batch that
 * fails with a non-retryable error is split in halves, by object, until the failing
 * objects' events are alone; those park at once (tossup_inbox_parked_total{reason} and
 * an error log naming the objects), everything else applies. Re-running a half is safe:
 * plans are deterministic and the applier's side_effects table turns a half-done write
 * into a no-op (engine/apply-plans.ts).
 *
 * Two guards keep a portal-wide fault (a property missing in the portal refuses every
 * contact) from parking everything: when no part of the batch applied, the batch takes
 * the ordinary retry path of handle-batch-failure.ts (backoff, parked after
 * maxAttempts); and at most `maxIsolationRuns` sub-batches are tried, the rest retried
 * the ordinary way.
 */
export interface BatchOutcome {
  done: number;
  failed: number;
  parked: number;
  /** The portal's turn ends (something is to be retried later). */
  stop: boolean;
}

export type RunBatch = (portalId: string, rows: InboxRow[]) => Promise<BatchOutcome>;

/** Errors that the same input will meet again: HubSpot refused the input or the record is gone. */
export function isPoisonError(err: unknown): err is HubSpotApiError {
  return err instanceof HubSpotApiError && (err.category === 'validation' || err.category === 'not_found');
}

/** The batch's events grouped by the object they are about (a contact's events stay together, in order). */
export function groupByObject(rows: readonly InboxRow[]): InboxRow[][] {
  const groups = new Map<string, InboxRow[]>();
  for (const row of rows) {
    const d = describeEvent(row.payload);
    const key = d?.objectId !== undefined ? `${d.kind}:${d.objectId}` : `row:${row.id}`;
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  return [...groups.values()];
}

export function createBatchRunner(
  deps: Pick<InboxWorkerDeps<unknown>, 'db' | 'logger' | 'metrics'>,
  opts: Pick<InboxWorkerOptions, 'maxIsolationRuns'>,
  processBatch: ProcessBatch,
  handleFailure: HandleBatchFailure,
): RunBatch {
  const { db, logger, metrics } = deps;
  const parkedTotal = metrics.counter('tossup_inbox_parked_total', 'Inbox events parked (kept, not dropped), by reason', ['reason']);

  const viaRetry = async (portalId: string, rows: InboxRow[], err: unknown, done: number, parked: number): Promise<BatchOutcome> => {
    const r = await handleFailure(portalId, rows, err);
    return { done, failed: r.failed, parked: parked + r.parked, stop: true };
  };

  return async (portalId, rows) => {
    let firstErr: unknown;
    try {
      await processBatch(portalId, rows);
      return { done: rows.length, failed: 0, parked: 0, stop: false };
    } catch (err) {
      firstErr = err;
    }
    const units = groupByObject(rows);
    if (!isPoisonError(firstErr) || units.length < 2) return viaRetry(portalId, rows, firstErr, 0, 0);

    let runs = opts.maxIsolationRuns;
    let done = 0;
    let stopErr: unknown;
    const poisoned: { rows: InboxRow[]; err: HubSpotApiError }[] = [];
    const unresolved: InboxRow[] = [];
    const split = async (group: InboxRow[][], err: HubSpotApiError): Promise<void> => {
      if (group.length === 1) {
        poisoned.push({ rows: group[0]!, err });
        return;
      }
      const mid = Math.ceil(group.length / 2);
      for (const half of [group.slice(0, mid), group.slice(mid)]) {
        const halfRows = half.flat();
        if (stopErr !== undefined || runs <= 0) {
          unresolved.push(...halfRows);
          continue;
        }
        runs--;
        try {
          await processBatch(portalId, halfRows);
          done += halfRows.length;
        } catch (e) {
          if (isPoisonError(e)) await split(half, e);
          else {
            stopErr = e;
            unresolved.push(...halfRows);
          }
        }
      }
    };
    await split(units, firstErr);

    // Nothing applied: not an isolated contact but the whole batch; the ordinary path decides.
    if (done === 0) return viaRetry(portalId, rows, stopErr ?? firstErr, 0, 0);

    let parked = 0;
    for (const p of poisoned) {
      const n = await parkInboxEvents(db, portalId, p.rows.map((r) => r.id), p.err.message);
      parked += n;
      parkedTotal.inc({ reason: p.err.category }, n);
      const objects = [...new Set(p.rows.map((r) => describeEvent(r.payload)?.objectId).filter((id) => id !== undefined))];
      logger.error(
        { portalId, events: n, objects, reason: p.err.category, status: p.err.status, error: p.err.message },
        'inbox events parked: HubSpot refuses this object; the rest of the batch applied. Fix the cause and set them back to pending to replay',
      );
    }
    if (unresolved.length > 0) return viaRetry(portalId, unresolved, stopErr ?? firstErr, done, parked);
    return { done, failed: 0, parked, stop: false };
  };
}
