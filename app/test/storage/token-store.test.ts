import { expect, it } from 'vitest';
import { createTokenCipher } from '../../src/platform/token-crypto';
import { savePortalSettings, loadPortalSettings } from '../../src/storage/portal-settings-store';
import { createTokenStore } from '../../src/storage/token-store';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { createImpactRunStore } from '../../src/storage/job-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';
import { loadParticipationsOfContacts, replaceEventParticipations } from '../../src/storage/event-participation-store';
import { loadMarketingEventReads, saveMarketingEventRead } from '../../src/storage/marketing-event-read-store';
import { loadParticipationRefreshedAt, saveParticipationRefreshedAt } from '../../src/storage/participation-refresh-store';

const TOKENS = { accessToken: 'access-1', refreshToken: 'refresh-1', accessExpiresAt: 5_000 };

describeOnBothBackends('token store (installs, oauth_tokens)', (t) => {
  const store = () => createTokenStore(t.db, createTokenCipher(Buffer.alloc(32, 7)));

  it('saves an install with encrypted tokens and reads them back decrypted', async () => {
    await store().saveInstall('101', TOKENS, { scopes: ['crm.objects.contacts.read', 'oauth'], hubDomain: 'a.example' }, 1_000);
    expect(await store().getInstall('101')).toEqual({
      portalId: '101',
      status: 'active',
      statusReason: null,
      scopes: ['crm.objects.contacts.read', 'oauth'],
      hubDomain: 'a.example',
      installedAt: 1_000,
      updatedAt: 1_000,
    });
    expect(await store().getTokens('101')).toEqual(TOKENS);
    const { rows } = await t.db.query<{ access_token_ct: string }>('select access_token_ct from oauth_tokens where portal_id = 101');
    expect(rows[0]!.access_token_ct).not.toContain('access-1');
    expect(await store().getInstall('999')).toBeUndefined();
    expect(await store().getTokens('999')).toBeUndefined();
  });

  it('a reinstall reactivates, keeps the first install time and a known hub domain', async () => {
    await store().saveInstall('102', TOKENS, { scopes: ['oauth'], hubDomain: 'b.example' }, 1_000);
    await store().markStatus('102', 'disconnected', 'refresh token revoked', 2_000);
    expect(await store().listActivePortals()).not.toContain('102');
    await store().saveInstall('102', { ...TOKENS, accessToken: 'access-2' }, { scopes: ['oauth', 'crm.objects.contacts.write'] }, 3_000);
    expect(await store().getInstall('102')).toMatchObject({ status: 'active', statusReason: null, hubDomain: 'b.example', installedAt: 1_000, updatedAt: 3_000 });
    expect((await store().getTokens('102'))?.accessToken).toBe('access-2');
    expect(await store().listActivePortals()).toContain('102');
  });

  it('updates tokens inside a transaction holding the row lock', async () => {
    await store().saveInstall('103', TOKENS, { scopes: [] }, 1_000);
    await t.db.transaction(async (tx) => {
      expect(await store().getTokensForUpdate(tx, '103')).toEqual(TOKENS);
      await store().updateTokens('103', { ...TOKENS, accessToken: 'access-3', accessExpiresAt: 9_000 }, 2_000, tx);
    });
    expect(await store().getTokens('103')).toEqual({ ...TOKENS, accessToken: 'access-3', accessExpiresAt: 9_000 });
  });

  it('purge drops tokens, settings and stored participations and keeps the install as uninstalled', async () => {
    await store().saveInstall('104', TOKENS, { scopes: [] }, 1_000);
    const edited = structuredClone(DEFAULT_SETTINGS);
    edited.sla.firstTouchHours = 3;
    await savePortalSettings(t.db, '104', edited, null, 1_000);
    await replaceEventParticipations(t.db, '104', 'e1', [{ participationId: 'p1', contactId: '501', state: 'ATTENDED', occurredAt: 1 }]);
    await saveMarketingEventRead(t.db, '104', { eventId: 'e1', eventName: 'セミナー', fingerprint: 'f', readAt: 1 });
    await saveParticipationRefreshedAt(t.db, '104', 1);
    const runs = createImpactRunStore(t.db);
    await runs.start('104', { draft: DEFAULT_SETTINGS, published: DEFAULT_SETTINGS, publishedVersion: null, publishedToken: 0, draftFingerprint: 'aaaaaaaa', requestedBy: null, limit: 10 }, 1_000);
    await store().purge('104', 2_000);
    // A pending full-portal impact run of a portal that left is never claimed: it goes too.
    expect(await runs.latest('104')).toBeNull();
    // Marketing Events participations are the portal's data too (issue 19).
    expect((await loadParticipationsOfContacts(t.db, '104', ['501'])).size).toBe(0);
    expect((await loadMarketingEventReads(t.db, '104')).size).toBe(0);
    expect(await loadParticipationRefreshedAt(t.db, '104')).toBeUndefined();
    expect(await store().getTokens('104')).toBeUndefined();
    expect((await loadPortalSettings(t.db, '104')).sla.firstTouchHours).toBe(DEFAULT_SETTINGS.sla.firstTouchHours);
    expect(await store().getInstall('104')).toMatchObject({ status: 'uninstalled', statusReason: 'uninstalled', updatedAt: 2_000 });
    expect(await store().listActivePortals()).not.toContain('104');
  });
});
