import type { Clock } from '../platform/clock';
import type { HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import type { Logger } from '../platform/log';
import { InstallNotActiveError } from '../hubspot/token-service';
import type { Database } from '../storage/database';
import { RECONCILE_SUBSCRIPTION_TYPE, type WebhookEvent } from '../domain/webhook-event';
import { storeWebhookEvents } from '../storage/inbox-store';

/**
 * Safety net for webhooks HubSpot never delivered (it gives up after 10 retries in
 * 24 h, and subscriptions can be paused): per active portal, a `jobs` row of kind
 * `reconcile` finds the contacts modified since the last sweep (CRM search on
 * hs_lastmodifieddate, 5 req/s, window split past 10,000 results) and stores one
 * `contact.reconcile` event per contact in webhook_inbox. The inbox worker then
 * treats them like delivered events: same coalescing, same evaluation, same
 * idempotent writes. A contact already handled costs one batch-read slot and no write.
 *
 * The job is claimed with FOR UPDATE SKIP LOCKED plus a lease (locked_until), so
 * with several processes each sweep runs once; a crashed sweep is picked up again
 * when its lease expires. The window overlaps the previous one by `overlapMs`
 * because search results lag writes by a few seconds
 * (https://developers.hubspot.com/docs/api/crm/search#limitations).
 */
export interface ReconcilerOptions {
  intervalMs: number;
  overlapMs: number;
  leaseMs: number;
  /** First sweep of a new portal looks back this far. */
  initialLookbackMs: number;
}

export const DEFAULT_RECONCILER_OPTIONS: ReconcilerOptions = {
  intervalMs: 15 * 60_000,
  overlapMs: 2 * 60_000,
  leaseMs: 10 * 60_000,
  initialLookbackMs: 60 * 60_000,
};

export interface Reconciler {
  /** Creates missing jobs for active installs, then runs every due sweep this process can claim. */
  runDue(): Promise<{ swept: number; contacts: number }>;
}

interface JobRow {
  id: number;
  portal_id: number;
  payload: { sinceMs?: number };
}

export function createReconciler(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  gateway: HubSpotGateway;
  instanceId: string;
  options?: Partial<ReconcilerOptions>;
}): Reconciler {
  const opts = { ...DEFAULT_RECONCILER_OPTIONS, ...deps.options };
  const { db, clock, logger, gateway, instanceId } = deps;

  async function ensureJobs(now: number): Promise<void> {
    await db.query(
      `insert into jobs (portal_id, kind, job_key, run_at, status, payload, created_at, updated_at)
       select portal_id, 'reconcile', 'reconcile:' || portal_id, $1, 'pending', jsonb_build_object('sinceMs', $2::bigint), $1, $1
       from installs where status = 'active'
       on conflict (job_key) do nothing`,
      [now, now - opts.initialLookbackMs],
    );
  }

  async function claim(now: number): Promise<JobRow | undefined> {
    const res = await db.query<JobRow>(
      `update jobs set status = 'running', locked_by = $2, locked_until = $3, attempts = attempts + 1, updated_at = $1
       where id = (
         select j.id from jobs j
         where j.kind = 'reconcile'
           and ((j.status = 'pending' and j.run_at <= $1) or (j.status = 'running' and j.locked_until < $1))
           and exists (select 1 from installs i where i.portal_id = j.portal_id and i.status = 'active')
         order by j.run_at limit 1
         for update skip locked)
       returning id, portal_id, payload`,
      [now, instanceId, now + opts.leaseMs],
    );
    return res.rows[0];
  }

  return {
    async runDue() {
      let swept = 0;
      let contacts = 0;
      await ensureJobs(clock.now());
      for (;;) {
        const startedAt = clock.now();
        const job = await claim(startedAt);
        if (!job) break;
        const portalId = String(job.portal_id);
        const since = (job.payload.sinceMs ?? startedAt - opts.initialLookbackMs) - opts.overlapMs;
        try {
          const modified = await gateway.listContactsModifiedBetween(portalId, since, startedAt);
          const events: WebhookEvent[] = modified.map((m) => ({
            portalId,
            occurredAt: m.lastModifiedAt,
            subscriptionType: RECONCILE_SUBSCRIPTION_TYPE,
            objectId: m.id,
          }));
          const stored = await storeWebhookEvents(db, events, clock.now());
          await db.query(
            `update jobs set status = 'pending', run_at = $3, payload = jsonb_build_object('sinceMs', $4::bigint), locked_by = null, locked_until = null,
               attempts = 0, last_error = null, updated_at = $5
             where id = $1 and locked_by = $2`,
            [job.id, instanceId, startedAt + opts.intervalMs, startedAt, clock.now()],
          );
          swept++;
          contacts += modified.length;
          logger.info({ portalId, modified: modified.length, queued: stored.stored }, 'reconciliation sweep done');
        } catch (err) {
          // A periodic sweep is never parked: it is retried later, its window kept.
          const pause = err instanceof InstallNotActiveError ? opts.intervalMs : Math.min(opts.intervalMs, 60_000);
          await db.query(`update jobs set status = 'pending', run_at = $3, locked_by = null, locked_until = null, last_error = $4, updated_at = $5 where id = $1 and locked_by = $2`, [
            job.id,
            instanceId,
            clock.now() + pause,
            (err instanceof Error ? err.message : String(err)).slice(0, 2000),
            clock.now(),
          ]);
          logger.warn({ portalId, err }, 'reconciliation sweep failed; retrying later');
        }
      }
      return { swept, contacts };
    },
  };
}
