import { factThreshold, withFactThreshold } from '@tossup/shared/rule-threshold';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { createPortalSettingsStore, loadPortalSettings } from '../../src/storage/portal-settings-store';
import { createSettingsVersionsStore, deleteSettingsVersions } from '../../src/storage/settings-versions-store';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';

const line = (s: string) => ({ ja: s, en: s });

// The one store of settings_versions: drafts never reach portal_settings (what the
// pipeline reads); publishing and restoring do, moving the settings page's token.
describe.each(testBackends())('settings versions store on %s', (kind) => {
  const t = useTestDatabase(kind);

  it('numbers versions per portal, keeps drafts out of the live settings, and publishes on purpose', async () => {
    const versions = createSettingsVersionsStore(t.db);
    const page = createPortalSettingsStore(t.db);
    const stricter = structuredClone(DEFAULT_SETTINGS);
    stricter.sla.firstTouchHours = 8;

    const draft = await versions.add('900', { settings: stricter, summary: [line('sla.firstTouchHours: 24 → 8')], createdBy: '9999', now: 1_000, publish: false });
    expect(draft).toMatchObject({ ok: true, token: null, version: { versionNo: 1, createdBy: '9999', createdAt: 1_000, publishedAt: null, restoredFrom: null } });
    expect((await loadPortalSettings(t.db, '900')).sla.firstTouchHours).toBe(24);
    expect(await versions.live('900')).toBeNull();
    expect(await page.get('900')).toMatchObject({ version: 0 });

    const published = await versions.publish('900', 1, { publishedBy: '9998', now: 2_000 });
    expect(published).toMatchObject({ token: 2_000, version: { versionNo: 1, publishedAt: 2_000 } });
    expect((await loadPortalSettings(t.db, '900')).sla.firstTouchHours).toBe(8);
    expect((await versions.live('900'))?.versionNo).toBe(1);
    expect(await page.get('900')).toMatchObject({ version: 2_000 });

    // Another portal numbers from 1.
    expect(await versions.add('901', { settings: DEFAULT_SETTINGS, summary: [], createdBy: '1', now: 1, publish: false })).toMatchObject({ version: { versionNo: 1 } });
    expect(await versions.publish('900', 99, { publishedBy: '9998', now: 3_000 })).toBeNull();
  });

  it('publishes a save in the same transaction, refuses a stale token and stores nothing then', async () => {
    const versions = createSettingsVersionsStore(t.db);
    const first = await versions.add('910', { settings: DEFAULT_SETTINGS, summary: [line('x')], createdBy: '9999', now: 5_000, publish: { expectedVersion: 0 } });
    expect(first).toMatchObject({ ok: true, token: 5_000, version: { versionNo: 1, publishedAt: 5_000 } });
    const stale = await versions.add('910', { settings: DEFAULT_SETTINGS, summary: [], createdBy: '9999', now: 6_000, publish: { expectedVersion: 0 } });
    expect(stale).toEqual({ ok: false, reason: 'conflict', currentVersion: 5_000 });
    expect((await versions.list('910', 10)).map((v) => v.versionNo)).toEqual([1]);
  });

  it('lists newest first with summaries, returns the document of one version, and restores as a new version', async () => {
    const versions = createSettingsVersionsStore(t.db);
    const a = structuredClone(DEFAULT_SETTINGS);
    a.gate.rule = withFactThreshold(a.gate.rule, 'bant_count', 3);
    await versions.add('920', { settings: DEFAULT_SETTINGS, summary: [line('v1')], createdBy: '1', now: 10, publish: {} });
    await versions.add('920', { settings: a, summary: [line('gate.minBantItems: 2 → 3')], createdBy: '2', now: 20, publish: {} });
    const restored = await versions.add('920', { settings: (await versions.get('920', 1))!.settings, summary: [line('back')], createdBy: '3', now: 30, restoredFrom: 1, publish: {} });
    expect(restored).toMatchObject({ ok: true, version: { versionNo: 3, restoredFrom: 1 } });
    const list = await versions.list('920', 2);
    expect(list.map((v) => [v.versionNo, v.summary[0]?.en])).toEqual([
      [3, 'back'],
      [2, 'gate.minBantItems: 2 → 3'],
    ]);
    expect(factThreshold((await versions.get('920', 2))!.settings.gate.rule, 'bant_count')).toBe(3);
    expect(await versions.get('920', 7)).toBeNull();
    expect((await loadPortalSettings(t.db, '920')).gate).toEqual(DEFAULT_SETTINGS.gate);
    expect((await versions.live('920'))?.versionNo).toBe(3);
  });

  it('gives two saves at once two numbers', async () => {
    const versions = createSettingsVersionsStore(t.db);
    const both = await Promise.all([1, 2].map((i) => versions.add('930', { settings: DEFAULT_SETTINGS, summary: [], createdBy: String(i), now: i, publish: false })));
    expect(both.map((r) => (r.ok ? r.version.versionNo : 0)).sort()).toEqual([1, 2]);
  });

  it('purges one portal\'s history on uninstall', async () => {
    const versions = createSettingsVersionsStore(t.db);
    await versions.add('940', { settings: DEFAULT_SETTINGS, summary: [], createdBy: '1', now: 1, publish: false });
    await versions.add('941', { settings: DEFAULT_SETTINGS, summary: [], createdBy: '1', now: 1, publish: false });
    await deleteSettingsVersions(t.db, '940');
    expect(await versions.list('940', 10)).toEqual([]);
    expect(await versions.list('941', 10)).toHaveLength(1);
  });
});
