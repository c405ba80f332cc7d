/**
 * Finding 1: any signed user could uninstall the whole portal. Now POST
 * /oauth/uninstall is verified like a card request (one portalId, one userId, the
 * app id when configured) and allowed only to a super admin (users API), recorded
 * with who and when.
 */
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootBackend, type BootedBackend } from '../../../test/kit/boot-backend';
import { API, PRODUCTION_ENV, signedHeaders, T0 } from './security-kit';

const PORTAL = '4242';
let h: BootedBackend;

beforeEach(async () => {
  h = await bootBackend({ env: { ...PRODUCTION_ENV, HUBSPOT_APP_ID: '777' }, now: T0 });
  await h.backend.tokenStore.saveInstall(PORTAL, { accessToken: 'a'.repeat(40), refreshToken: 'r-1', accessExpiresAt: T0 + 3_600_000 }, { scopes: ['oauth'] }, T0);
});
afterEach(async () => {
  nock.cleanAll();
  await h.close();
});

async function uninstall(query: string) {
  const path = `/oauth/uninstall?${query}`;
  const res = await fetch(`${h.base}${path}`, { method: 'POST', headers: signedHeaders('POST', path) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const tokensLeft = async () => (await h.db.query('select 1 from oauth_tokens where portal_id = $1', [PORTAL])).rows.length;

describe('POST /oauth/uninstall', () => {
  it('refuses a signed Sales rep (403, bilingual), a portalId-only request and another app; a super admin uninstalls and is recorded', async () => {
    nock(API).get(/\/users\/9001/).query(true).reply(200, { id: '9001', email: 'rep@example.jp', superAdmin: false });
    const rep = await uninstall(`userId=9001&portalId=${PORTAL}&userEmail=rep%40example.jp&appId=777`);
    expect(rep.status).toBe(403);
    expect(rep.json.message).toMatchObject({ ja: expect.stringContaining('スーパー管理者'), en: expect.stringContaining('super admin') });

    expect((await uninstall(`portalId=${PORTAL}`)).status).toBe(401);
    expect((await uninstall(`userId=1&portalId=${PORTAL}&appId=999`)).status).toBe(401);
    expect((await uninstall(`userId=1&portalId=${PORTAL}&portalId=1&appId=777`)).status).toBe(401);
    expect(await tokensLeft()).toBe(1);

    nock(API).get(/\/users\/1(\?|$)/).query(true).reply(200, { id: '1', email: 'admin@example.jp', superAdmin: true });
    nock(API).post(/\/oauth\/.*revoke/).reply(200, {});
    h.clock.advance(1_000);
    const admin = await uninstall(`userId=1&portalId=${PORTAL}&userEmail=admin%40example.jp&appId=777`);
    expect(admin.status).toBe(200);
    expect(await tokensLeft()).toBe(0);
    const row = (await h.db.query<{ status: string; uninstalled_by: string; uninstalled_at: string }>('select status, uninstalled_by, uninstalled_at from installs where portal_id = $1', [PORTAL])).rows[0]!;
    expect({ status: row.status, by: String(row.uninstalled_by), at: Number(row.uninstalled_at) }).toEqual({ status: 'uninstalled', by: '1', at: T0 + 1_000 });
  });
});
