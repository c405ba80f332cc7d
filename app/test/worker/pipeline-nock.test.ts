import nock from 'nock';
import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase, withTestDatabase } from '../../../test/kit/use-test-database';
import { createManualClock } from '../../src/platform/clock';
import { createMetrics } from '../../src/platform/metrics';
import { createHubSpotGateway } from '../../src/hubspot/hubspot-gateway';
import { createInboxWorker } from '../../src/worker/inbox-worker';
import { createPortalDirectoryProvider } from '../../src/engine/portal-directory';
import { startPipeline } from '../../src/worker/start-pipeline';
import { fakeTokens, jsonReply } from '../hubspot/gateway-test-kit';
import { testContext } from '../webhooks/webhook-test-kit';
import { APP_ID, contactEvent, enqueue, fakeEvaluator, inboxStatuses, PORTAL, T0 } from './worker-test-kit';

const API = 'https://api.hubapi.com';
type BatchBody = { inputs: { id: string; properties?: Record<string, string> }[] };
const batch = (b: BatchBody) => ({
  status: 'COMPLETE',
  results: b.inputs.map(({ id }) => ({ id, properties: { hs_object_id: id }, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z' })),
  startedAt: '2025-01-01T00:00:00Z',
  completedAt: '2025-01-01T00:00:00Z',
});

/** The portal directory: owners, lifecycle stages, time zone — read once per portal and cached. */
function directoryScope() {
  return nock(API)
    .get('/crm/v3/owners/')
    .query(true)
    .reply(200, { results: [{ id: '77', archived: false, teams: [{ id: '1', name: 'フィールドセールス', primary: true }], createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z' }] })
    .get('/crm/v3/properties/contacts/lifecyclestage')
    .query(true)
    .reply(200, { name: 'lifecyclestage', label: 'x', type: 'enumeration', fieldType: 'radio', groupName: 'g', options: [{ value: 'lead', label: 'Lead', displayOrder: 1, hidden: false }] })
    .get('/account-info/v3/details')
    .reply(200, { portalId: 62515, timeZone: 'Asia/Tokyo' });
}

// End-to-end through the real gateway (SDK + nock): inbox → worker → HubSpot calls.
describe.each(testBackends())('pipeline with the real gateway on %s', (kind) => {
  const t = useTestDatabase(kind);
  beforeEach(async () => {
    for (const table of ['webhook_inbox', 'pipeline_written_values', 'inbox_portal_leases', 'side_effects']) await t.db.query(`delete from ${table}`);
  });

  function build() {
    const clock = createManualClock(T0);
    const metrics = createMetrics({ defaultMetrics: false });
    const gateway = createHubSpotGateway({ tokens: fakeTokens(), apiBaseUrl: API, db: t.db, logger: pino({ level: 'silent' }), metrics, clock, sleep: async (ms) => clock.advance(ms) });
    const ev = fakeEvaluator((s) => ({ contactProperties: { tossup_score: '15', tossup_score_breakdown: `contact ${s.contact.id}` } }));
    const worker = createInboxWorker({
      db: t.db,
      clock,
      logger: pino({ level: 'silent' }),
      metrics,
      gateway,
      instanceId: 'w',
      evaluate: ev.evaluate,
      loadSettings: ev.loadSettings,
      directory: createPortalDirectoryProvider({ gateway, db: t.db }),
      appId: APP_ID,
    });
    return { worker, ev, metrics };
  }

  it('500 events on 250 contacts: 3 batch reads and 3 batch updates, not 250 GETs', async () => {
    const { worker, ev } = build();
    const contacts = Array.from({ length: 250 }, (_, i) => String(1000 + i));
    await enqueue(t.db, [...contacts, ...contacts].map((id) => contactEvent(id)));
    const reads: number[] = [];
    const updates: number[] = [];
    const dir = directoryScope();
    const scope = nock(API)
      .post('/crm/v3/objects/contacts/batch/read')
      .query(true)
      .times(3)
      .reply(200, jsonReply<BatchBody>((b) => (reads.push(b.inputs.length), batch(b))))
      .post('/crm/v3/objects/contacts/batch/update')
      .times(3)
      .reply(200, jsonReply<BatchBody>((b) => (updates.push(b.inputs.length), batch(b))));
    const summary = await worker.drainOnce();
    expect(summary).toMatchObject({ portals: 1, eventsDone: 500, eventsFailed: 0 });
    expect(scope.isDone()).toBe(true);
    expect(dir.isDone()).toBe(true);
    expect(reads).toEqual([100, 100, 50]);
    expect(updates).toEqual([100, 100, 50]);
    expect(ev.evaluations).toHaveLength(250);

    // HubSpot echoes our 250 writes (500 property changes): skipped, no API call at all
    // (nock has no interceptors left, so any call would fail the batch).
    await enqueue(
      t.db,
      contacts.flatMap((id) => [
        contactEvent(id, { propertyName: 'tossup_score', propertyValue: '15', changeSource: 'INTEGRATION' }),
        contactEvent(id, { propertyName: 'tossup_score_breakdown', propertyValue: `contact ${id}`, changeSource: 'INTEGRATION' }),
      ]),
    );
    expect(await worker.drainOnce()).toMatchObject({ eventsDone: 500, eventsFailed: 0 });
    expect(ev.evaluations).toHaveLength(250);
    expect(await inboxStatuses(t.db)).toEqual({ done: 1000 });
  });

  it('a 429 storm on the batch read retries, then the batch backs off in the inbox (not dropped)', async () => {
    const { worker } = build();
    await enqueue(t.db, [contactEvent('1')]);
    const dir = directoryScope();
    const storm = nock(API)
      .post('/crm/v3/objects/contacts/batch/read')
      .query(true)
      .times(5)
      .reply(429, { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
    const s = await worker.drainOnce();
    expect(storm.isDone()).toBe(true);
    expect(dir.isDone()).toBe(true);
    expect(s).toMatchObject({ eventsFailed: 1, eventsParked: 0 });
    const row = await t.db.query<{ status: string; attempts: number; last_error: string }>('select status, attempts, last_error from webhook_inbox');
    expect(row.rows[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.rows[0]!.last_error).toContain('rate_limit');
  });

  /** batch/update that always answers 400 for the contacts in `refused`, naming them as HubSpot does (errors[].context.ids). */
  function refusingUpdates(refused: (id: string) => boolean, written: Set<string>) {
    return nock(API)
      .persist()
      .post('/crm/v3/objects/contacts/batch/update')
      .reply(
        jsonReply<BatchBody>((b) => {
          const bad = b.inputs.map((i) => i.id).filter(refused);
          if (bad.length > 0) {
            return [400, { status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid', errors: [{ message: 'a validation rule refused the value', context: { ids: bad } }] }];
          }
          for (const i of b.inputs) written.add(i.id);
          return [200, batch(b)];
        }),
      );
  }

  it('poison isolation: one contact HubSpot always refuses (400) parks alone, with its reason; the other 19 apply', async () => {
    const { worker, metrics } = build();
    const contacts = Array.from({ length: 20 }, (_, i) => String(1000 + i));
    await enqueue(t.db, contacts.map((id) => contactEvent(id)));
    directoryScope();
    const written = new Set<string>();
    const reads = nock(API).persist().post('/crm/v3/objects/contacts/batch/read').query(true).reply(200, jsonReply<BatchBody>(batch));
    const updates = refusingUpdates((id) => id === '1013', written);
    try {
      expect(await worker.drainOnce()).toMatchObject({ eventsDone: 19, eventsFailed: 0, eventsParked: 1 });
      expect(await inboxStatuses(t.db)).toEqual({ done: 19, parked: 1 });
      const parked = await t.db.query<{ object_id: string; last_error: string; attempts: number }>(`select object_id, last_error, attempts from webhook_inbox where status = 'parked'`);
      expect(parked.rows.map((r) => String(r.object_id))).toEqual(['1013']);
      expect(parked.rows[0]!.last_error).toContain('validation');
      expect(await metrics.registry.getSingleMetricAsString('tossup_inbox_parked_total')).toContain('tossup_inbox_parked_total{reason="validation"} 1');
      expect([...written].sort()).toEqual(contacts.filter((id) => id !== '1013'));
    } finally {
      reads.persist(false);
      updates.persist(false);
      nock.cleanAll();
    }
  });

  it('poison isolation: when HubSpot refuses every contact (a portal-wide fault), nothing parks at once; the batch retries', async () => {
    const { worker } = build();
    await enqueue(t.db, ['1', '2', '3', '4'].map((id) => contactEvent(id)));
    directoryScope();
    const reads = nock(API).persist().post('/crm/v3/objects/contacts/batch/read').query(true).reply(200, jsonReply<BatchBody>(batch));
    const updates = refusingUpdates(() => true, new Set());
    try {
      expect(await worker.drainOnce()).toMatchObject({ eventsDone: 0, eventsFailed: 4, eventsParked: 0 });
      const rows = await t.db.query<{ status: string; attempts: number }>('select status, attempts from webhook_inbox');
      expect(rows.rows.every((r) => r.status === 'pending' && r.attempts === 1)).toBe(true);
    } finally {
      reads.persist(false);
      updates.persist(false);
      nock.cleanAll();
    }
  });
});

describe('startPipeline (wiring for main.ts)', () => {
  it('uses the gateway it is given, drains on its poll interval and stops cleanly', async () => {
    await withTestDatabase('pglite', async (t) => {
      const ctx = { ...testContext(t.db), instanceId: 'test-instance' };
      const ev = fakeEvaluator();
      const hub = {
        // Only what this test's drain needs; anything else would throw.
        readContacts: async (_p: string, ids: readonly string[]) => ids.map((id) => ({ id, properties: {} })),
      };
      const gateway = new Proxy(hub, {
        get: (target, prop) =>
          prop in target
            ? target[prop as keyof typeof target]
            : async () => {
                if (prop === 'listOwners' || prop === 'listMarketingEvents') return [];
                if (prop === 'getLifecycleStages') return ['lead'];
                if (prop === 'getPortalTimeZone') return 'Asia/Tokyo';
                throw new Error(`unexpected gateway call ${String(prop)}`);
              },
      }) as unknown as import('../../src/hubspot/hubspot-gateway-types').HubSpotGateway;
      // Received a minute ago on the process clock: settled, so the poll's coalescing window lets it through.
      await enqueue(t.db, [contactEvent('501', { portalId: PORTAL })], ctx.clock.now() - 60_000);
      const pipeline = startPipeline(ctx, { evaluate: ev.evaluate, loadSettings: ev.loadSettings, gateway, pollIntervalMs: 5 });
      expect(pipeline.gateway).toBe(gateway);
      for (let i = 0; i < 400 && ev.evaluations.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      await pipeline.stop();
      expect(ev.evaluations.map((s) => s.contact.id)).toEqual(['501']);
      expect(await inboxStatuses(t.db)).toEqual({ done: 1 });
    });
  });

  it('a reconciliation sweep that hangs holds up neither the inbox drain nor the shutdown', async () => {
    await withTestDatabase('pglite', async (t) => {
      const ctx = { ...testContext(t.db), instanceId: 'test-instance' };
      const ev = fakeEvaluator();
      let sweeps = 0;
      let release!: () => void;
      const hanging = new Promise<never[]>((resolve) => (release = () => resolve([])));
      const hub = {
        readContacts: async (_p: string, ids: readonly string[]) => ids.map((id) => ({ id, properties: {} })),
        // The sweep's CRM search: pages at search's own 5/s limit, here never answers until released.
        listContactsModifiedBetween: async () => {
          sweeps++;
          return hanging;
        },
      };
      const gateway = new Proxy(hub, {
        get: (target, prop) =>
          prop in target
            ? target[prop as keyof typeof target]
            : async () => {
                if (prop === 'listOwners' || prop === 'listMarketingEvents') return [];
                if (prop === 'getLifecycleStages') return ['lead'];
                if (prop === 'getPortalTimeZone') return 'Asia/Tokyo';
                throw new Error(`unexpected gateway call ${String(prop)}`);
              },
      }) as unknown as import('../../src/hubspot/hubspot-gateway-types').HubSpotGateway;
      await t.db.query(`insert into installs (portal_id, status, installed_at, updated_at) values ($1, 'active', 0, 0)`, [PORTAL]);
      const pipeline = startPipeline(ctx, { evaluate: ev.evaluate, loadSettings: ev.loadSettings, gateway, pollIntervalMs: 5 });
      for (let i = 0; i < 400 && sweeps === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(sweeps).toBe(1); // the sweep is under way, and hangs
      // Received a minute ago on the process clock: past the poll's coalescing window.
      await enqueue(t.db, [contactEvent('502', { portalId: PORTAL })], ctx.clock.now() - 60_000);
      for (let i = 0; i < 400 && ev.evaluations.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(ev.evaluations.map((s) => s.contact.id)).toEqual(['502']);
      expect(await inboxStatuses(t.db)).toEqual({ done: 1 });
      const started = Date.now();
      await pipeline.stop(200);
      expect(Date.now() - started).toBeLessThan(5_000);
      release();
    });
  });
});
