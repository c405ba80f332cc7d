import { pino } from 'pino';
import { expect, it } from 'vitest';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';
import { createManualClock } from '../../src/platform/clock';
import { createMetrics } from '../../src/platform/metrics';
import { createIdempotencyStore } from '../../src/storage/idempotency-store';
import { issueState, STATE_TTL_MS } from '../../src/storage/oauth-state-store';
import { createRetentionJob } from '../../src/worker/retention-job';
import { DEFAULT_RETENTION_OPTIONS, retentionOptionsFromEnv } from '../../src/worker/retention-options';
import { contactEvent, enqueue, inboxStatuses, PORTAL, T0, workerKit } from './worker-test-kit';

const DAY = 86_400_000;

describeOnBothBackends('retention job', (t) => {
  it('empties processed payloads after a day, deletes processed rows after 7, purges idempotency rows and expired states, drops events of absent portals with a metric', async () => {
    await t.db.query(`insert into installs (portal_id, status, installed_at, updated_at) values ($1, 'active', 0, 0), (777, 'uninstalled', 0, 0)`, [PORTAL]);
    const kit = workerKit(t.db);
    kit.hubspot.contacts.set('501', {});
    await enqueue(t.db, [contactEvent('501'), contactEvent('501'), contactEvent('502')]);
    await kit.worker.drainOnce();
    expect(await inboxStatuses(t.db)).toEqual({ done: 3 });
    // Events nobody will process: an uninstalled portal's and a never-installed portal's; one parked event of ours.
    await enqueue(t.db, [contactEvent('1', { portalId: '777' }), contactEvent('2', { portalId: '888' }), contactEvent('3', { portalId: '888' })]);
    await enqueue(t.db, [contactEvent('503')]);
    await t.db.query(`update webhook_inbox set status = 'parked' where object_id = 503`);
    const idempotency = createIdempotencyStore(t.db);
    await idempotency.claim(PORTAL, 'k-1', 'h', T0);
    await issueState(t.db, T0);

    const metrics = createMetrics({ defaultMetrics: false });
    const clock = createManualClock(T0);
    const job = createRetentionJob({ clock, logger: pino({ level: 'silent' }), metrics, db: t.db }, { batchRows: 2 });
    const payloads = async () => (await t.db.query<{ n: number }>(`select count(*)::int as n from webhook_inbox where payload <> '{}'::jsonb`)).rows[0]!.n;

    // Day 0: nothing is old enough.
    expect(await job.runOnce(T0 + 1)).toEqual({ inboxPayloadsEmptied: 0, inboxRowsDeleted: 0, idempotencyRowsDeleted: 0, oauthStatesDeleted: 0, inboxDropped: { uninstalled: 0, never_installed: 0 } });
    expect(await payloads()).toBe(7);

    // Day 2: payloads of the processed events emptied (chunks of 2), the idempotency row and the expired state gone.
    expect(await job.runOnce(T0 + 2 * DAY)).toEqual({ inboxPayloadsEmptied: 3, inboxRowsDeleted: 0, idempotencyRowsDeleted: 1, oauthStatesDeleted: 1, inboxDropped: { uninstalled: 0, never_installed: 0 } });
    expect(await payloads()).toBe(4);
    expect(await idempotency.claim(PORTAL, 'k-1', 'h', T0 + 2 * DAY)).toEqual({ kind: 'claimed', clockAt: T0 + 2 * DAY });

    // Day 8: processed rows deleted, absent portals' events dropped and counted; the parked event stays for an operator.
    expect(await job.runOnce(T0 + 8 * DAY)).toMatchObject({ inboxRowsDeleted: 3, inboxDropped: { uninstalled: 1, never_installed: 2 } });
    expect(await inboxStatuses(t.db)).toEqual({ parked: 1 });
    const dropped = await metrics.registry.getSingleMetricAsString('tossup_inbox_dropped_total');
    expect(dropped).toContain('tossup_inbox_dropped_total{reason="uninstalled"} 1');
    expect(dropped).toContain('tossup_inbox_dropped_total{reason="never_installed"} 2');
    expect(await metrics.registry.getSingleMetricAsString('tossup_retention_removed_total')).toContain('tossup_retention_removed_total{what="inbox_row"} 3');
    expect(STATE_TTL_MS).toBeLessThan(2 * DAY);
  });

  it('stop (shutdown) ends a pass between chunks: the chunk in progress completes, no further statement runs', async () => {
    await t.db.query('delete from webhook_inbox');
    await enqueue(t.db, ['701', '702', '703', '704', '705', '706'].map((id) => contactEvent(id)));
    await t.db.query(`update webhook_inbox set status = 'done', processed_at = $1`, [T0]);
    const statements: string[] = [];
    const late: { job?: ReturnType<typeof createRetentionJob> } = {};
    let stopping: Promise<void> | undefined;
    // The database as the job sees it: the first chunk's statement triggers a SIGTERM-like stop.
    const db = Object.create(t.db, {
      query: {
        value: async (sql: string, params?: unknown[]) => {
          statements.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
          const r = await t.db.query(sql, params);
          stopping ??= late.job!.stop();
          return r;
        },
      },
    }) as typeof t.db;
    const job = createRetentionJob({ clock: createManualClock(T0), logger: pino({ level: 'silent' }), metrics: createMetrics({ defaultMetrics: false }), db }, { batchRows: 2 });
    late.job = job;
    const summary = await job.runOnce(T0 + 30 * DAY);
    await stopping;
    expect(statements).toHaveLength(1);
    expect(summary).toEqual({ inboxPayloadsEmptied: 2, inboxRowsDeleted: 0, idempotencyRowsDeleted: 0, oauthStatesDeleted: 0, inboxDropped: { uninstalled: 0, never_installed: 0 } });
    expect(await inboxStatuses(t.db)).toEqual({ done: 6 });
  });

  it('start and stop leave no timer behind', async () => {
    const job = createRetentionJob({ clock: createManualClock(T0), logger: pino({ level: 'silent' }), metrics: createMetrics({ defaultMetrics: false }), db: t.db });
    job.start();
    await job.stop();
  });
});

it('retention options: defaults, environment overrides in days/hours/minutes, refused values named', () => {
  expect(retentionOptionsFromEnv({})).toEqual(DEFAULT_RETENTION_OPTIONS);
  expect(DEFAULT_RETENTION_OPTIONS).toMatchObject({ inboxPayloadMs: DAY, inboxRowMs: 7 * DAY, idempotencyMs: DAY, absentPortalMs: 3 * DAY, intervalMs: 3_600_000 });
  expect(
    retentionOptionsFromEnv({ TOSSUP_RETENTION_INBOX_PAYLOAD_DAYS: '0.5', TOSSUP_RETENTION_INBOX_DAYS: '30', TOSSUP_RETENTION_IDEMPOTENCY_HOURS: '2', TOSSUP_RETENTION_INTERVAL_MINUTES: ' ' }),
  ).toMatchObject({ inboxPayloadMs: DAY / 2, inboxRowMs: 30 * DAY, idempotencyMs: 2 * 3_600_000, intervalMs: 3_600_000 });
  expect(() => retentionOptionsFromEnv({ TOSSUP_RETENTION_INBOX_DAYS: 'week' })).toThrow(/TOSSUP_RETENTION_INBOX_DAYS: must be a positive number of days/);
  expect(() => retentionOptionsFromEnv({ TOSSUP_RETENTION_INBOX_PAYLOAD_DAYS: '10' })).toThrow(/must not exceed TOSSUP_RETENTION_INBOX_DAYS/);
});
