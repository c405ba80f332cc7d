import type { Clock } from '../platform/clock';
import type { LedgerEntry, Plan } from '../domain/types';
import type { Metrics } from '../platform/metrics';
import { SideEffectInFlightError } from '../hubspot/hubspot-errors';
import type { EngagementType, HubSpotGateway } from '../hubspot/hubspot-gateway-types';
import type { Logger } from '../platform/log';
import { InstallNotActiveError } from '../hubspot/token-service';
import type { Database, Queryable } from '../storage/database';
import { describeEvent, type EventDescription, type ObjectKind, type WebhookEvent } from '../domain/webhook-event';
import { applyPlans, type ApplyPlansDeps } from '../engine/apply-plans';
import { withOpenDeals } from '../engine/open-deals';
import { buildSnapshots } from '../engine/build-snapshots';
import { onContactDeleted, onContactPrivacyDeleted, onContactsMerged } from './contact-lifecycle';
import { isOwnWrite, loadWrittenValues } from '../engine/own-writes';
import type { EventParticipationProvider, PortalDirectoryProvider } from '../engine/portal-directory';
import { assertPortalLease, claimPortalLease, LeaseLostError, releasePortalLease } from './portal-lease';
import type { EvaluateFn, LoadSettingsFn } from './worker-types';

/**
 * Drains webhook_inbox portal by portal. Per claimed portal and batch:
 *
 *   events → skip our own writes (no API call) → deletions/merges (database only)
 *   → contacts touched (engagements and companies resolved through batch
 *   association reads) → one snapshot per contact (all its events coalesce into one
 *   evaluation) → evaluate (pure core) → applyPlans → events done, in the same
 *   transaction as the plan's database writes, under the portal lease.
 *
 * Failures: retried with exponential backoff; after `maxAttempts` the events are
 * parked (kept with their error, counted in tossup_inbox_parked_total), never
 * dropped. A portal whose install is not active waits without using attempts.
 */
export interface InboxWorkerOptions {
  batchSize: number;
  leaseMs: number;
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** How long a portal with an inactive install waits before its events are looked at again. */
  installPauseMs: number;
  /** Batches per portal per claim, so one busy portal does not starve the others. */
  maxBatchesPerClaim: number;
  random: () => number;
}

export const DEFAULT_INBOX_WORKER_OPTIONS: InboxWorkerOptions = {
  // Large batches coalesce more events per contact into one evaluation: fewer re-reads of hot
  // contacts during a burst (anchors §C3). 2,000 events stay well inside one transaction.
  batchSize: 2000,
  leaseMs: 120_000,
  maxAttempts: 8,
  baseBackoffMs: 30_000,
  maxBackoffMs: 60 * 60_000,
  installPauseMs: 5 * 60_000,
  maxBatchesPerClaim: 10,
  random: Math.random,
};

export interface InboxWorkerDeps<S> {
  db: Database;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  gateway: HubSpotGateway;
  instanceId: string;
  evaluate: EvaluateFn<S>;
  loadSettings: LoadSettingsFn<S>;
  directory: PortalDirectoryProvider;
  participations?: EventParticipationProvider;
  /** Our HubSpot app id (HUBSPOT_APP_ID): events whose sourceId is us are our own writes. */
  appId?: string;
  slaNextCheckAt?: ApplyPlansDeps['slaNextCheckAt'];
  options?: Partial<InboxWorkerOptions>;
}

export interface DrainSummary {
  portals: number;
  eventsDone: number;
  eventsFailed: number;
  eventsParked: number;
}

export interface InboxWorker {
  /** One pass over every portal with due events. */
  drainOnce(): Promise<DrainSummary>;
  /** Updates the inbox gauges (pending/parked). */
  refreshGauges(): Promise<void>;
}

interface InboxRow {
  id: number;
  payload: WebhookEvent;
  attempts: number;
}

interface Parsed {
  row: InboxRow;
  event: WebhookEvent;
  desc: EventDescription | undefined;
}

const ENGAGEMENT_OBJECT_TYPE: Partial<Record<ObjectKind, EngagementType>> = {
  call: 'calls',
  email: 'emails',
  meeting: 'meetings',
  note: 'notes',
  task: 'tasks',
};

export function createInboxWorker<S>(deps: InboxWorkerDeps<S>): InboxWorker {
  const opts: InboxWorkerOptions = { ...DEFAULT_INBOX_WORKER_OPTIONS, ...deps.options };
  const { db, clock, logger, metrics, gateway, instanceId } = deps;
  const parked = metrics.counter('tossup_inbox_parked_total', 'Inbox events parked after repeated failures (kept, not dropped)');
  const processed = metrics.counter('tossup_inbox_processed_total', 'Inbox events processed', ['outcome']);
  const depth = metrics.gauge('tossup_inbox_depth', 'Inbox events by status', ['status']);
  const applier: ApplyPlansDeps = { db, gateway, clock, logger, ...(deps.slaNextCheckAt ? { slaNextCheckAt: deps.slaNextCheckAt } : {}) };

  async function duePortals(): Promise<string[]> {
    // Portals that were uninstalled or disconnected are skipped entirely; their
    // events stay pending until a reinstall (the OAuth code owns `installs`).
    const res = await db.query<{ portal_id: number }>(
      `select distinct w.portal_id from webhook_inbox w
       where w.status = 'pending' and w.next_attempt_at <= $1
         and not exists (select 1 from installs i where i.portal_id = w.portal_id and i.status <> 'active')
       limit 100`,
      [clock.now()],
    );
    return res.rows.map((r) => String(r.portal_id));
  }

  async function loadBatch(portalId: string): Promise<InboxRow[]> {
    const res = await db.query<InboxRow>(
      `select id, payload, attempts from webhook_inbox
       where portal_id = $1 and status = 'pending' and next_attempt_at <= $2
       order by occurred_at, id limit $3`,
      [portalId, clock.now(), opts.batchSize],
    );
    return res.rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  async function markDone(tx: Queryable, portalId: string, ids: number[], outcome: 'done'): Promise<void> {
    await tx.query(`update webhook_inbox set status = $3, processed_at = $4, last_error = null where portal_id = $1 and id = any($2::bigint[])`, [
      portalId,
      ids,
      outcome,
      clock.now(),
    ]);
  }

  async function processBatch(portalId: string, rows: InboxRow[]): Promise<void> {
    const parsedAll: Parsed[] = rows.map((row) => ({ row, event: row.payload, desc: describeEvent(row.payload) }));

    // 1. Our own writes echoed back: skipped before anything is read.
    const written = await loadWrittenValues(
      db,
      portalId,
      parsedAll.filter((p) => p.desc?.kind === 'contact' && p.desc.action === 'propertyChange' && p.desc.objectId).map((p) => p.desc!.objectId!),
    );
    const engagementIds = parsedAll.filter((p) => p.desc && ENGAGEMENT_OBJECT_TYPE[p.desc.kind] && p.desc.objectId).map((p) => p.desc!.objectId!);
    const ourObjects = new Set<string>();
    if (engagementIds.length > 0) {
      const res = await db.query<{ hubspot_id: string }>('select hubspot_id from side_effects where portal_id = $1 and hubspot_id = any($2::text[])', [
        portalId,
        engagementIds,
      ]);
      for (const r of res.rows) ourObjects.add(r.hubspot_id);
    }
    const relevant = parsedAll.filter((p) => {
      if (!p.desc || !p.desc.objectId) return false;
      if (p.desc.kind === 'contact' && p.desc.action === 'propertyChange' && isOwnWrite(p.event, deps.appId, written)) return false;
      if (ENGAGEMENT_OBJECT_TYPE[p.desc.kind] && (ourObjects.has(p.desc.objectId) || isOwnWrite(p.event, deps.appId, new Map()))) return false;
      return true;
    });
    const skipped = parsedAll.length - relevant.length;

    // 2. Deletions, privacy deletions and merges, in occurrence order (database only).
    const deleted = new Set<string>();
    const contactIds = new Set<string>();
    const lifecycle = relevant.filter((p) => p.desc!.kind === 'contact').sort((a, b) => a.event.occurredAt - b.event.occurredAt);
    if (lifecycle.some((p) => ['deletion', 'privacyDeletion', 'merge'].includes(p.desc!.action))) {
      await db.transaction(async (tx) => {
        for (const p of lifecycle) {
          const id = p.desc!.objectId!;
          if (p.desc!.action === 'deletion') {
            await onContactDeleted(tx, portalId, id);
            deleted.add(id);
          } else if (p.desc!.action === 'privacyDeletion') {
            await onContactPrivacyDeleted(tx, portalId, id, rows.map((r) => r.id));
            deleted.add(id);
          } else if (p.desc!.action === 'merge') {
            const merged = [...(p.event.mergedObjectIds ?? []), ...(p.event.primaryObjectId ? [p.event.primaryObjectId] : [])];
            await onContactsMerged(tx, portalId, id, merged);
            for (const m of merged) if (m !== id) deleted.add(m);
            deleted.delete(id);
          } else if (p.desc!.action === 'restore') deleted.delete(id);
        }
      });
    }
    for (const p of lifecycle) {
      const a = p.desc!.action;
      if (a !== 'deletion' && a !== 'privacyDeletion') contactIds.add(p.desc!.objectId!);
    }

    // 3. Engagements and companies resolve to their contacts (batch association reads).
    const observations = new Map<string, LedgerEntry[]>();
    const byType = new Map<EngagementType, Parsed[]>();
    for (const p of relevant) {
      const type = ENGAGEMENT_OBJECT_TYPE[p.desc!.kind];
      if (type) byType.set(type, [...(byType.get(type) ?? []), p]);
    }
    for (const [type, list] of byType) {
      const assoc = await gateway.readAssociations(portalId, type, list.map((p) => p.desc!.objectId!), 'contacts');
      for (const p of list) {
        for (const c of assoc.get(p.desc!.objectId!) ?? []) {
          contactIds.add(c.id);
          if (p.desc!.action === 'creation' && p.desc!.kind !== 'task') {
            const obs = observations.get(c.id) ?? [];
            obs.push({
              signalKey: `${p.desc!.kind}:${p.desc!.objectId}`,
              kind: 'activity',
              occurredAt: p.event.occurredAt,
              details: { type: p.desc!.kind, engagementId: p.desc!.objectId },
            });
            observations.set(c.id, obs);
          }
        }
      }
    }
    const companyEvents = relevant.filter((p) => p.desc!.kind === 'company');
    if (companyEvents.length > 0) {
      const assoc = await gateway.readAssociations(portalId, 'companies', companyEvents.map((p) => p.desc!.objectId!), 'contacts');
      for (const list of assoc.values()) for (const c of list) contactIds.add(c.id);
    }
    for (const id of deleted) contactIds.delete(id);

    // 4. One evaluation per contact, whatever the number of its events.
    const now = clock.now();
    let plans: Plan[] = [];
    if (contactIds.size > 0) {
      const settings = await deps.loadSettings(db, portalId);
      const directory = await deps.directory.get(portalId);
      const snapshots = await buildSnapshots({ db, gateway, ...(deps.participations ? { participations: deps.participations } : {}) }, portalId, [...contactIds], observations);
      plans = [...snapshots.values()].map((s) => deps.evaluate(s, settings, directory, now));
      plans = await withOpenDeals(gateway, portalId, plans, snapshots, (s) => deps.evaluate(s, settings, directory, now));
    }

    await applyPlans(applier, portalId, plans, {
      inTransaction: async (tx) => {
        await assertPortalLease(tx, portalId, instanceId, clock.now(), opts.leaseMs);
        await markDone(tx, portalId, rows.map((r) => r.id), 'done');
      },
    });
    processed.inc({ outcome: 'done' }, rows.length - skipped);
    if (skipped > 0) processed.inc({ outcome: 'skipped' }, skipped);
    logger.debug({ portalId, events: rows.length, skipped, contacts: contactIds.size, plans: plans.length }, 'inbox batch applied');
  }

  async function handleFailure(portalId: string, rows: InboxRow[], err: unknown): Promise<{ failed: number; parked: number }> {
    const now = clock.now();
    const ids = rows.map((r) => r.id);
    if (err instanceof LeaseLostError) {
      logger.warn({ portalId }, err.message);
      return { failed: 0, parked: 0 };
    }
    if (err instanceof InstallNotActiveError) {
      logger.info({ portalId, status: err.status }, 'install not active; the portal\'s events wait');
      await db.query('update webhook_inbox set next_attempt_at = $3, last_error = $4 where portal_id = $1 and id = any($2::bigint[])', [
        portalId,
        ids,
        now + opts.installPauseMs,
        err.message,
      ]);
      return { failed: 0, parked: 0 };
    }
    if (err instanceof SideEffectInFlightError) {
      await db.query('update webhook_inbox set next_attempt_at = $3, last_error = $4 where portal_id = $1 and id = any($2::bigint[])', [
        portalId,
        ids,
        Math.max(err.retryAtMs, now + 1),
        err.message,
      ]);
      return { failed: 0, parked: 0 };
    }
    const message = err instanceof Error ? err.message : String(err);
    logger.warn({ portalId, events: ids.length, err }, 'inbox batch failed; will retry');
    const res = await db.query<{ status: string }>(
      `update webhook_inbox set
         attempts = attempts + 1,
         last_error = $3,
         status = case when attempts + 1 >= $4 then 'parked' else status end,
         next_attempt_at = $5 + least($6::bigint, ($7::bigint * power(2, attempts))::bigint * (0.5 + $8::float8 * 0.5))::bigint
       where portal_id = $1 and id = any($2::bigint[]) and status = 'pending'
       returning status`,
      [portalId, ids, message.slice(0, 2000), opts.maxAttempts, now, opts.maxBackoffMs, opts.baseBackoffMs, opts.random()],
    );
    const parkedNow = res.rows.filter((r) => r.status === 'parked').length;
    if (parkedNow > 0) {
      parked.inc(parkedNow);
      logger.error({ portalId, events: parkedNow, error: message }, 'inbox events parked after repeated failures; fix the cause and set them back to pending to replay');
    }
    return { failed: res.rows.length - parkedNow, parked: parkedNow };
  }

  const worker: InboxWorker = {
    async drainOnce() {
      const summary: DrainSummary = { portals: 0, eventsDone: 0, eventsFailed: 0, eventsParked: 0 };
      for (const portalId of await duePortals()) {
        if (!(await claimPortalLease(db, portalId, instanceId, clock.now(), opts.leaseMs))) continue;
        summary.portals++;
        try {
          for (let i = 0; i < opts.maxBatchesPerClaim; i++) {
            const rows = await loadBatch(portalId);
            if (rows.length === 0) break;
            try {
              await processBatch(portalId, rows);
              summary.eventsDone += rows.length;
            } catch (err) {
              const r = await handleFailure(portalId, rows, err);
              summary.eventsFailed += r.failed;
              summary.eventsParked += r.parked;
              break;
            }
          }
        } finally {
          await releasePortalLease(db, portalId, instanceId, clock.now()).catch((err: unknown) => logger.warn({ err, portalId }, 'could not release portal lease'));
        }
      }
      await worker.refreshGauges().catch(() => undefined);
      return summary;
    },
    async refreshGauges() {
      const res = await db.query<{ status: string; n: number }>(
        `select status, count(*)::int as n from webhook_inbox where status in ('pending', 'parked') group by status`,
      );
      depth.set({ status: 'pending' }, 0);
      depth.set({ status: 'parked' }, 0);
      for (const r of res.rows) depth.set({ status: r.status }, r.n);
    },
  };
  return worker;
}
