import { withFactThreshold } from '@tossup/shared/rule-threshold';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SettingsDiffView, SettingsFormsView, SettingsPreviewView, SettingsTestContactView, SettingsVersionDocumentView, SettingsVersionView, SettingsVersionsView, SettingsView } from '@tossup/shared/card-dto';
import { DEFAULT_SETTINGS, type PortalSettings } from '@tossup/shared/settings-schema';
import { createManualClock } from '../../src/platform/clock';
import { createPortalSettingsStore, loadPortalSettings } from '../../src/storage/portal-settings-store';
import { createSettingsVersionsStore } from '../../src/storage/settings-versions-store';
import { useTestDatabase } from '../../../test/kit/use-test-database';
import { contact, createFakeWorld, PORTAL, send, startCardApi, T0, testContext, type CardServer, type FakeWorld } from './card-api-test-kit';

const IS_USER = '9201';
const SUPER_ADMIN = '9999';
let n = 0;
const key = () => `versions-test-key-${String((n += 1)).padStart(8, '0')}`;

function stricter(firstTouchHours: number): PortalSettings {
  const s = structuredClone(DEFAULT_SETTINGS);
  s.sla.firstTouchHours = firstTouchHours;
  return s;
}

// Drafts, publishing, history, restore and the import diff (issue 16), on the real
// stores: the settings the pipeline loads (loadPortalSettings) change only on publish.
describe('card API settings versions (/api/v1/settings/…)', () => {
  const t = useTestDatabase('pglite');
  let server: CardServer;
  let world: FakeWorld;

  beforeEach(async (testCtx) => {
    await t.db.query('delete from settings_versions');
    await t.db.query('delete from portal_settings');
    world = createFakeWorld();
    world.contacts.set('5001', contact('5001', { tossup_bant_need: 'true', tossup_bant_timeline: 'true', tossup_score: '0' }));
    world.deps.settings = createPortalSettingsStore(t.db);
    world.deps.settingsVersions = createSettingsVersionsStore(t.db);
    server = await startCardApi(testContext(t.db, world.deps, createManualClock(T0)));
    testCtx.onTestFinished(() => server.close());
  });

  const live = () => loadPortalSettings(t.db, PORTAL);

  it('refuses unsigned requests to every new route', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/settings/versions'],
      ['GET', '/api/v1/settings/versions/1'],
      ['PUT', '/api/v1/settings/draft'],
      ['POST', '/api/v1/settings/versions/1/publish'],
      ['POST', '/api/v1/settings/versions/1/restore'],
      ['POST', '/api/v1/settings/diff'],
      ['POST', '/api/v1/settings/test-contact'],
      ['GET', '/api/v1/settings/forms'],
    ] as const) {
      const res = await send(server, { method, path, userId: SUPER_ADMIN, body: method === 'GET' ? undefined : { idempotencyKey: key() } }, { headers: { 'x-hubspot-signature-v3': 'forged' } });
      expect([method, path, res.status]).toEqual([method, path, 401]);
    }
  });

  it('lets only super admins draft, publish, restore or diff; anyone of the portal may read the history', async () => {
    for (const [method, path, body] of [
      ['PUT', '/api/v1/settings/draft', { idempotencyKey: key(), settings: DEFAULT_SETTINGS }],
      ['POST', '/api/v1/settings/versions/1/publish', { idempotencyKey: key() }],
      ['POST', '/api/v1/settings/versions/1/restore', { idempotencyKey: key() }],
      ['POST', '/api/v1/settings/diff', { settings: DEFAULT_SETTINGS }],
      ['POST', '/api/v1/settings/test-contact', { contactId: '5001' }],
    ] as const) {
      const res = await send(server, { method, path, userId: IS_USER, body });
      expect(res.json.error).toMatchObject({ code: 'forbidden', message_en: expect.stringMatching(/super admins/) });
    }
    const list = await send<SettingsVersionsView>(server, { method: 'GET', path: '/api/v1/settings/versions', userId: IS_USER });
    expect(list.json.data).toEqual({ versions: [], liveVersionNo: null, canEdit: false });
    const forms = await send<SettingsFormsView>(server, { method: 'GET', path: '/api/v1/settings/forms', userId: IS_USER });
    expect(forms.json.data).toEqual({ source: 'seen', reason: 'missing_scope', forms: [{ title: 'お問い合わせ', submissions: 3 }] });
    const stranger = await send(server, { method: 'GET', path: '/api/v1/settings/forms', userId: '999999' });
    expect(stranger.json.error?.code).toBe('forbidden');
  });

  it('names the bad field of a draft or an import, and refuses a malformed body or version number', async () => {
    const bad = { ...DEFAULT_SETTINGS, sla: { ...DEFAULT_SETTINGS.sla, firstTouchHours: -1 } };
    const draft = await send(server, { method: 'PUT', path: '/api/v1/settings/draft', userId: SUPER_ADMIN, body: { idempotencyKey: key(), settings: bad } });
    expect(draft.json.error).toMatchObject({ code: 'invalid_settings', missing: [{ code: 'sla.firstTouchHours', label_en: 'Must be greater than 0' }] });
    const diff = await send(server, { method: 'POST', path: '/api/v1/settings/diff', userId: SUPER_ADMIN, body: { settings: { gate: { minBantItems: 9 } } } });
    expect(diff.json.error).toMatchObject({ code: 'invalid_settings', missing: [{ code: 'gate.minBantItems', label_ja: '4以下にしてください' }] });
    const noKey = await send(server, { method: 'PUT', path: '/api/v1/settings/draft', userId: SUPER_ADMIN, body: { settings: DEFAULT_SETTINGS } });
    expect(noKey.status).toBe(400);
    expect(noKey.json.error?.message_en).toMatch(/idempotencyKey/);
    const notANumber = await send(server, { method: 'POST', path: '/api/v1/settings/versions/abc/publish', userId: SUPER_ADMIN, body: { idempotencyKey: key() } });
    expect(notANumber.status).toBe(400);
    const missing = await send(server, { method: 'POST', path: '/api/v1/settings/versions/42/publish', userId: SUPER_ADMIN, body: { idempotencyKey: key() } });
    expect(missing.json.error).toMatchObject({ code: 'not_found', message_en: expect.stringContaining('Settings version 42') });
  });

  it('drafts without changing the live settings, publishes on purpose, restores as a new version, and replays a retried publish', async () => {
    const draft = await send<SettingsVersionView>(server, { method: 'PUT', path: '/api/v1/settings/draft', userId: SUPER_ADMIN, body: { idempotencyKey: key(), settings: stricter(8) } });
    expect(draft.json.data).toMatchObject({ versionNo: 1, createdBy: SUPER_ADMIN, live: false, pendingDraft: true, publishedAt: null, summary: [{ ja: 'sla.firstTouchHours: 24 → 8', en: 'sla.firstTouchHours: 24 → 8' }] });
    expect((await live()).sla.firstTouchHours).toBe(24);

    const publishBody = { idempotencyKey: key() };
    const published = await send<SettingsVersionView>(server, { method: 'POST', path: '/api/v1/settings/versions/1/publish', userId: SUPER_ADMIN, body: publishBody });
    expect(published.json.data).toMatchObject({ versionNo: 1, live: true, pendingDraft: false, publishedAt: T0 });
    expect((await live()).sla.firstTouchHours).toBe(8);
    const replay = await send<SettingsVersionView>(server, { method: 'POST', path: '/api/v1/settings/versions/1/publish', userId: SUPER_ADMIN, body: publishBody });
    expect(replay.json).toEqual(published.json);

    // The classic save is a published version too, with who and what changed.
    const page = await send<SettingsView>(server, { method: 'GET', path: '/api/v1/settings', userId: SUPER_ADMIN });
    const saved = await send<SettingsView>(server, { method: 'PUT', path: '/api/v1/settings', userId: SUPER_ADMIN, body: { idempotencyKey: key(), settings: stricter(4), expectedVersion: page.json.data?.version } });
    expect(saved.json.ok).toBe(true);
    expect((await live()).sla.firstTouchHours).toBe(4);

    const restored = await send<SettingsVersionView>(server, { method: 'POST', path: '/api/v1/settings/versions/1/restore', userId: SUPER_ADMIN, body: { idempotencyKey: key() } });
    expect(restored.json.data).toMatchObject({ versionNo: 3, restoredFrom: 1, live: true, summary: [{ en: 'sla.firstTouchHours: 4 → 8' }] });
    expect((await live()).sla.firstTouchHours).toBe(8);

    const list = await send<SettingsVersionsView>(server, { method: 'GET', path: '/api/v1/settings/versions', userId: SUPER_ADMIN });
    expect(list.json.data?.liveVersionNo).toBe(3);
    expect(list.json.data?.canEdit).toBe(true);
    expect(list.json.data?.versions.map((v) => [v.versionNo, v.live, v.summary[0]?.en])).toEqual([
      [3, true, 'sla.firstTouchHours: 4 → 8'],
      [2, false, 'sla.firstTouchHours: 8 → 4'],
      [1, false, 'sla.firstTouchHours: 24 → 8'],
    ]);

    const exported = await send<SettingsVersionDocumentView<PortalSettings>>(server, { method: 'GET', path: '/api/v1/settings/versions/2', userId: SUPER_ADMIN });
    expect(exported.json.data?.settings.sla.firstTouchHours).toBe(4);
    expect(exported.json.data?.version.versionNo).toBe(2);
  });

  it('shows the diff an import would make against the published settings, without storing anything', async () => {
    const same = await send<SettingsDiffView>(server, { method: 'POST', path: '/api/v1/settings/diff', userId: SUPER_ADMIN, body: { settings: DEFAULT_SETTINGS } });
    expect(same.json.data).toEqual({ changes: [], changed: 0 });
    const edited = stricter(12);
    edited.gate.rule = withFactThreshold(edited.gate.rule, 'bant_count', 3);
    const diff = await send<SettingsDiffView>(server, { method: 'POST', path: '/api/v1/settings/diff', userId: SUPER_ADMIN, body: { settings: edited } });
    expect(diff.json.data).toEqual({
      changed: 2,
      changes: [
        {
          ja: 'gate.rule: BANT確認数 ≥ 2、かつ直近の接触日が記録済、かつトスアップ理由の記入あり → BANT確認数 ≥ 3、かつ直近の接触日が記録済、かつトスアップ理由の記入あり',
          en: 'gate.rule: BANT items confirmed ≥ 2 AND Last contact date recorded AND Hand-off reason written → BANT items confirmed ≥ 3 AND Last contact date recorded AND Hand-off reason written',
        },
        { ja: 'sla.firstTouchHours: 24 → 12', en: 'sla.firstTouchHours: 24 → 12' },
      ],
    });
    expect((await t.db.query('select 1 from settings_versions')).rowCount).toBe(0);
  });

  it('tests a contact under the published settings and a draft side by side, writing nothing', async () => {
    const draft = structuredClone(DEFAULT_SETTINGS);
    draft.rules.sql = { type: 'and', of: [{ type: 'flag', fact: 'bant_need' }, { type: 'flag', fact: 'bant_budget' }] };
    const res = await send<SettingsTestContactView>(server, { method: 'POST', path: '/api/v1/settings/test-contact', userId: SUPER_ADMIN, body: { contactId: '5001', settings: draft } });
    const data = res.json.data!;
    expect(data.contactId).toBe('5001');
    expect(data.published.sql).toMatchObject({ kind: 'and', holds: true, of: [{ value: true }, { value: true }] });
    expect(data.draft?.sql).toMatchObject({ kind: 'and', holds: false, of: [{ holds: true }, { holds: false, value: false, condition: { en: expect.any(String) } }] });
    expect(data.published.routing.steps.at(-1)?.en).toMatch(/^Sales round-robin \(fewest assignments\) → /);
    expect(data.published.sla.firstTouchDueAt).toBeGreaterThan(T0);
    expect(world.applied).toEqual([]);
    const publishedOnly = await send<SettingsTestContactView>(server, { method: 'POST', path: '/api/v1/settings/test-contact', userId: SUPER_ADMIN, body: { contactId: '5001' } });
    expect(publishedOnly.json.data?.draft).toBeNull();
  });

  it('finds the contact to test by its e-mail, read-only', async () => {
    const res = await send<SettingsTestContactView>(server, { method: 'POST', path: '/api/v1/settings/test-contact', userId: SUPER_ADMIN, body: { email: ' LEAD5001@example.co.jp ' } });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ contactId: '5001', email: 'LEAD5001@example.co.jp', draft: null });
    expect(world.applied).toEqual([]);
    const none = await send(server, { method: 'POST', path: '/api/v1/settings/test-contact', userId: SUPER_ADMIN, body: { email: 'nobody@example.co.jp' } });
    expect(none.json.error).toMatchObject({ code: 'not_found', message_ja: expect.stringContaining('メールアドレス nobody@example.co.jp のコンタクト') });
    const both = await send(server, { method: 'POST', path: '/api/v1/settings/test-contact', userId: SUPER_ADMIN, body: { contactId: '5001', email: 'lead5001@example.co.jp' } });
    expect(both.status).toBe(400);
    expect(both.json.error?.message_en).toMatch(/exactly one of contactId .* or email/);
    const badEmail = await send(server, { method: 'POST', path: '/api/v1/settings/test-contact', userId: SUPER_ADMIN, body: { email: 'lead5001' } });
    expect(badEmail.json.error?.message_en).toMatch(/email must be an e-mail address/);
  });

  it('names the bad input of a contact test', async () => {
    const badId = await send(server, { method: 'POST', path: '/api/v1/settings/test-contact', userId: SUPER_ADMIN, body: { contactId: 'lead@example.com' } });
    expect(badId.status).toBe(400);
    expect(badId.json.error?.message_en).toMatch(/contactId/);
    const unknown = await send(server, { method: 'POST', path: '/api/v1/settings/test-contact', userId: SUPER_ADMIN, body: { contactId: '404' } });
    expect(unknown.json.error).toMatchObject({ code: 'not_found', message_en: expect.stringContaining('Contact 404') });
    const badDraft = await send(server, { method: 'POST', path: '/api/v1/settings/test-contact', userId: SUPER_ADMIN, body: { contactId: '5001', settings: { sla: { firstTouchHours: 0 } } } });
    expect(badDraft.json.error).toMatchObject({ code: 'invalid_settings', missing: [{ code: 'sla.firstTouchHours' }] });
  });

  it('says which sample the preview evaluated and what the edit would do on it', async () => {
    const res = await send<SettingsPreviewView>(server, { method: 'POST', path: '/api/v1/settings/preview', userId: SUPER_ADMIN, body: { settings: stricter(8) } });
    expect(res.json.data?.sample).toEqual({ size: 1, total: 1 });
    expect(res.json.data?.impact).toEqual({ handoffs: expect.any(Number), handoffTasksByRep: expect.any(Array), mqlTasks: expect.any(Number), stageMoves: expect.any(Number) });
  });
});
