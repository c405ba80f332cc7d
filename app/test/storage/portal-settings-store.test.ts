import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { createPortalSettingsStore } from '../../src/storage/portal-settings-store';
import { loadPortalSettings, savePortalSettings } from '../../src/storage/settings-store';
import { createTestDatabase, testBackends, type TestDatabase } from '../../dev/throwaway-database';

describe.each(testBackends())('card API settings store on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('starts from the defaults, saves with a concurrency token, and refuses a stale one', async () => {
    const store = createPortalSettingsStore(t.db);
    expect(await store.get('700')).toEqual({ settings: DEFAULT_SETTINGS, version: 0, updatedAt: null });
    const edited = structuredClone(DEFAULT_SETTINGS);
    edited.sla.firstTouchHours = 8;
    const first = await store.save('700', edited, { expectedVersion: 0, updatedBy: '9999', now: 1_000 });
    expect(first).toEqual({ ok: true, version: 1_000 });
    // Two saves in the same millisecond still move the token.
    const second = await store.save('700', edited, { expectedVersion: 1_000, updatedBy: '9999', now: 1_000 });
    expect(second).toEqual({ ok: true, version: 1_001 });
    expect(await store.save('700', DEFAULT_SETTINGS, { expectedVersion: 1_000, updatedBy: '9998', now: 2_000 })).toEqual({ ok: false, reason: 'conflict', currentVersion: 1_001 });
    // The engine's loader reads what the page saved.
    expect((await loadPortalSettings(t.db, '700')).sla.firstTouchHours).toBe(8);
  });

  it('notices a save made by the shared settings module in between', async () => {
    const store = createPortalSettingsStore(t.db);
    const seen = await store.get('701');
    await savePortalSettings(t.db, '701', DEFAULT_SETTINGS, 'sandbox-seed', 5_000);
    expect(await store.save('701', DEFAULT_SETTINGS, { expectedVersion: seen.version, updatedBy: '9999', now: 6_000 })).toMatchObject({ ok: false, reason: 'conflict' });
  });
});
