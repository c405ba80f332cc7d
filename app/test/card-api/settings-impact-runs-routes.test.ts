import { beforeEach, describe, expect, it } from 'vitest';
import type { SettingsImpactRunAnswer } from '@tossup/shared/card-dto';
import { DEFAULT_SETTINGS, type PortalSettings } from '@tossup/shared/settings-schema';
import { settingsFingerprint } from '@tossup/shared/settings-fingerprint';
import { createManualClock } from '../../src/platform/clock';
import { createImpactRunStore, EMPTY_IMPACT_PROGRESS } from '../../src/storage/job-store';
import { useTestDatabase } from '../../../test/kit/use-test-database';
import { createFakeWorld, PORTAL, send, startCardApi, T0, testContext, type CardServer, type FakeWorld } from './card-api-test-kit';

const IS_USER = '9201';
const SUPER_ADMIN = '9999';
let n = 0;
const key = () => `impact-run-key-${String((n += 1)).padStart(8, '0')}`;

function draft(firstTouchHours: number): PortalSettings {
  const s = structuredClone(DEFAULT_SETTINGS);
  s.sla.firstTouchHours = firstTouchHours;
  return s;
}

// The full-portal impact run's routes (issue 16) on the real jobs store; the worker side is app/test/worker/impact-runner.test.ts.
describe('card API full-portal impact runs (/api/v1/settings/impact-runs)', () => {
  const t = useTestDatabase('pglite');
  let server: CardServer;
  let world: FakeWorld;

  beforeEach(async (testCtx) => {
    await t.db.query('delete from jobs');
    world = createFakeWorld();
    world.stored = { settings: structuredClone(DEFAULT_SETTINGS), version: 6, updatedAt: T0 };
    world.deps.impactRuns = createImpactRunStore(t.db);
    server = await startCardApi(testContext(t.db, world.deps, createManualClock(T0)));
    testCtx.onTestFinished(() => server.close());
  });

  const start = (settings: unknown, userId = SUPER_ADMIN, k = key(), extra: Record<string, unknown> = {}) =>
    send<SettingsImpactRunAnswer>(server, { method: 'POST', path: '/api/v1/settings/impact-runs', userId, body: { idempotencyKey: k, settings, ...extra } });

  it('refuses unsigned requests to every route', async () => {
    for (const [method, path] of [
      ['POST', '/api/v1/settings/impact-runs'],
      ['GET', '/api/v1/settings/impact-runs/latest'],
      ['GET', '/api/v1/settings/impact-runs/1'],
      ['DELETE', '/api/v1/settings/impact-runs/1'],
    ] as const) {
      const res = await send(server, { method, path, userId: SUPER_ADMIN, body: method === 'POST' ? { idempotencyKey: key(), settings: DEFAULT_SETTINGS } : undefined }, { headers: { 'x-hubspot-signature-v3': 'forged' } });
      expect([method, path, res.status]).toEqual([method, path, 401]);
    }
  });

  it('starts a run for the draft against the published version; a second start answers with the running one; a replayed key acts once', async () => {
    const k = key();
    const first = await start(draft(8), SUPER_ADMIN, k);
    expect(first.json.data).toMatchObject({
      created: true,
      run: { status: 'pending', phase: 'queued', publishedVersion: null, publishedToken: 6, draftFingerprint: settingsFingerprint(draft(8)), requestedBy: SUPER_ADMIN, total: null, read: 0, limit: 100_000, canCancel: true },
    });
    const replay = await start(draft(8), SUPER_ADMIN, k);
    expect(replay.json).toEqual(first.json);
    const second = await start(draft(9), SUPER_ADMIN, key(), { draftFingerprint: '0123456789abcdef' });
    expect(second.json.data).toMatchObject({ created: false, run: { id: first.json.data!.run!.id, draftFingerprint: settingsFingerprint(draft(8)) } });
    const { rows } = await t.db.query(`select id from jobs where kind = 'impact_run'`);
    expect(rows).toHaveLength(1);
  });

  it('names the live version from the settings history, so the page can say what the draft was compared with', async () => {
    world.deps.settingsVersions = { live: async () => ({ versionNo: 7 }) } as unknown as NonNullable<typeof world.deps.settingsVersions>;
    const started = await start(draft(8));
    expect(started.json.data!.run).toMatchObject({ publishedVersion: 7, publishedToken: 6 });
  });

  it('lets only super admins start or cancel; any user of the portal reads progress, without the cancel button', async () => {
    expect((await start(draft(8), IS_USER)).json.error).toMatchObject({ code: 'forbidden', message_en: expect.stringMatching(/super admins/) });
    const id = (await start(draft(8))).json.data!.run!.id;
    const cancel = await send(server, { method: 'DELETE', path: `/api/v1/settings/impact-runs/${id}`, userId: IS_USER });
    expect(cancel.json.error?.code).toBe('forbidden');
    const latest = await send<SettingsImpactRunAnswer>(server, { method: 'GET', path: '/api/v1/settings/impact-runs/latest', userId: IS_USER });
    expect(latest.json.data!.run).toMatchObject({ id, status: 'pending', canCancel: false });
    expect((await send(server, { method: 'GET', path: '/api/v1/settings/impact-runs/latest', userId: '999999' })).json.error?.code).toBe('forbidden');
  });

  it('names the bad field of the draft and refuses a malformed body or id', async () => {
    const bad = await start({ ...DEFAULT_SETTINGS, sla: { ...DEFAULT_SETTINGS.sla, firstTouchHours: -1 } });
    expect(bad.json.error).toMatchObject({ code: 'invalid_settings', missing: [{ code: 'sla.firstTouchHours', label_en: 'Must be greater than 0', label_ja: expect.any(String) }] });
    const noKey = await send(server, { method: 'POST', path: '/api/v1/settings/impact-runs', userId: SUPER_ADMIN, body: { settings: DEFAULT_SETTINGS } });
    expect(noKey.status).toBe(400);
    expect(noKey.json.error).toMatchObject({ code: 'invalid_request', message_en: expect.stringContaining('idempotencyKey') });
    const badPrint = await start(DEFAULT_SETTINGS, SUPER_ADMIN, key(), { draftFingerprint: 'NOT HEX' });
    expect(badPrint.json.error).toMatchObject({ code: 'invalid_request', message_en: expect.stringContaining('draftFingerprint'), message_ja: expect.stringContaining('draftFingerprint') });
    const badId = await send(server, { method: 'GET', path: '/api/v1/settings/impact-runs/abc', userId: SUPER_ADMIN });
    expect(badId.status).toBe(400);
    const missing = await send(server, { method: 'GET', path: '/api/v1/settings/impact-runs/424242', userId: SUPER_ADMIN });
    expect(missing.json.error).toMatchObject({ code: 'not_found', message_ja: expect.stringContaining('全件試算 424242'), message_en: expect.stringContaining('Full-portal impact run 424242') });
    expect((await send<SettingsImpactRunAnswer>(server, { method: 'GET', path: '/api/v1/settings/impact-runs/latest', userId: SUPER_ADMIN })).json.data).toEqual({ run: null });
  });

  it('answers progress with rep names, and cancels idempotently', async () => {
    const id = (await start(draft(8))).json.data!.run!.id;
    const store = createImpactRunStore(t.db);
    await t.db.query(`insert into installs (portal_id, status, installed_at, updated_at) values (${PORTAL}, 'active', 0, 0) on conflict do nothing`);
    await store.claim(T0, 'w1', 60_000);
    await store.save(id, 'w1', { ...EMPTY_IMPACT_PROGRESS, phase: 'evaluating', total: 1840, read: 400, evaluated: 400, pagesDone: 4, changed: 5, transitions: [{ from: 'new', to: 'mql', count: 5 }], handoffs: 2, handoffTasksByRep: [{ ownerId: '301', count: 2 }], mqlTasks: 5, stageMoves: 5, startedAt: T0 }, T0, 60_000);
    const progress = await send<SettingsImpactRunAnswer>(server, { method: 'GET', path: `/api/v1/settings/impact-runs/${id}`, userId: SUPER_ADMIN });
    expect(progress.json.data!.run).toMatchObject({ status: 'running', phase: 'evaluating', total: 1840, read: 400, impact: { handoffs: 2, handoffTasksByRep: [{ ownerId: '301', name: expect.any(String), count: 2 }] } });
    expect(progress.json.data!.run!.impact.handoffTasksByRep[0]!.name).not.toBe('#301');

    const cancelled = await send<SettingsImpactRunAnswer>(server, { method: 'DELETE', path: `/api/v1/settings/impact-runs/${id}`, userId: SUPER_ADMIN });
    expect(cancelled.json.data!.run).toMatchObject({ status: 'cancelled', phase: 'finished', read: 400, canCancel: false });
    const again = await send<SettingsImpactRunAnswer>(server, { method: 'DELETE', path: `/api/v1/settings/impact-runs/${id}`, userId: SUPER_ADMIN });
    expect(again.json.data).toEqual(cancelled.json.data);
    // The portal may start a new run once the old one has stopped.
    expect((await start(draft(9))).json.data).toMatchObject({ created: true });
  });
});
