import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/composition/create-backend';
import { loadConfig } from '../../src/platform/config';
import { createManualClock, type ManualClock } from '../../src/platform/clock';
import { createLogger } from '../../src/platform/log';
import { createDatabase, type Database } from '../../src/storage/database';
import { CONTRACT_PROPERTIES } from '@tossup/shared/contract-properties';
import { createTokenCipher } from '../../src/platform/token-crypto';
import { InstallNotActiveError } from '../../src/hubspot/token-service';
import { signV3 } from '../../src/platform/hubspot-signature';

const API = 'https://api.hubapi.test';
const KEY = Buffer.alloc(32, 9).toString('base64');
const T0 = Date.UTC(2026, 10, 28, 1, 0, 0);

interface Harness {
  backend: Backend;
  base: string;
  clock: ManualClock;
  db: Database;
}

async function startHarness(): Promise<Harness> {
  const clock = createManualClock(T0);
  const db = await createDatabase({ kind: 'pglite' });
  const config = loadConfig({
    HUBSPOT_CLIENT_ID: 'client-123',
    HUBSPOT_CLIENT_SECRET: 'secret-456',
    TOKEN_ENCRYPTION_KEY: KEY,
    HUBSPOT_API_BASE_URL: API,
    PUBLIC_BASE_URL: 'https://tossup.example.com',
    LOG_LEVEL: 'silent',
  });
  const backend = await createBackend(config, { clock, db, logger: createLogger({ level: 'silent' }) });
  const { port } = await backend.listen(0);
  return { backend, base: `http://127.0.0.1:${port}`, clock, db };
}

function tokenReply(n: number, hubId = 4242) {
  return { token_type: 'bearer', access_token: `access-${n}-${'x'.repeat(40)}`, refresh_token: `refresh-${n}`, expires_in: 1800, hub_id: hubId, scopes: ['oauth', 'crm.objects.contacts.read'] };
}

function mockPropertyCreation(existing: string[] = []) {
  const created: string[] = [];
  const scope = nock(API)
    .get('/crm/v3/properties/contacts/groups')
    .reply(200, { results: existing.length > 0 ? [{ name: 'tossup', label: 'tossup', displayOrder: -1, archived: false }] : [] });
  if (existing.length === 0) scope.post('/crm/v3/properties/contacts/groups').reply(201, { name: 'tossup', label: 'tossup', displayOrder: -1, archived: false });
  scope.get('/crm/v3/properties/contacts').query(true).reply(200, { results: existing.map((name) => ({ name, label: name, type: 'string', fieldType: 'text', groupName: 'tossup' })) });
  const missing = CONTRACT_PROPERTIES.filter((p) => !existing.includes(p.name));
  if (missing.length > 0) {
    scope
      .post('/crm/v3/properties/contacts', (body: { name?: unknown }) => {
        if (typeof body?.name === 'string') created.push(body.name);
        return true;
      })
      .times(missing.length)
      .reply(201, { name: 'created', label: 'created', type: 'string', fieldType: 'text', groupName: 'tossup', createdAt: new Date(T0).toISOString() });
  }
  return { scope, created };
}

/** The state cookie /oauth/install set, as the browser sends it back to the callback. */
function stateCookie(res: Response): { cookie: string } {
  return { cookie: res.headers.getSetCookie()[0]!.split(';')[0]! };
}

async function install(h: Harness, hubId = 4242, n = 1) {
  const res = await fetch(`${h.base}/oauth/install`, { redirect: 'manual' });
  const location = new URL(res.headers.get('location')!);
  const state = location.searchParams.get('state')!;
  const headers = stateCookie(res);
  const exchange = nock(API)
    .post('/oauth/2026-03/token', (body: Record<string, string>) => body.grant_type === 'authorization_code' && body.code === 'the-code' && body.client_secret === 'secret-456' && body.redirect_uri === 'https://tossup.example.com/oauth/callback')
    .reply(200, tokenReply(n, hubId));
  const cb = await fetch(`${h.base}/oauth/callback?code=the-code&state=${state}`, { headers });
  return { res, location, state, exchange, cb, headers };
}

describe('OAuth install', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.backend.close();
    await h.db.close();
  });

  it('redirects to HubSpot with client_id, the required scopes, redirect_uri and a CSRF state', async () => {
    const res = await fetch(`${h.base}/oauth/install`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const u = new URL(res.headers.get('location')!);
    expect(u.origin + u.pathname).toBe('https://app.hubspot.com/oauth/authorize');
    expect(u.searchParams.get('client_id')).toBe('client-123');
    expect(u.searchParams.get('redirect_uri')).toBe('https://tossup.example.com/oauth/callback');
    expect(u.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['oauth', 'crm.objects.contacts.write', 'crm.schemas.contacts.write']));
    expect(u.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('good path: exchanges the code at HUBSPOT_API_BASE_URL, stores encrypted tokens and creates every contract property', async () => {
    const props = mockPropertyCreation();
    const { cb, exchange } = await install(h);
    expect(cb.status).toBe(200);
    expect(await cb.text()).toContain('tossup のインストールが完了しました');
    expect(exchange.isDone()).toBe(true);
    expect(props.scope.isDone()).toBe(true);
    // nock may run a body matcher more than once per request, so compare as sets.
    expect([...new Set(props.created)].sort()).toEqual(CONTRACT_PROPERTIES.map((p) => p.name).sort());

    const rows = await h.db.query<Record<string, unknown>>('select * from oauth_tokens');
    const dump = JSON.stringify(rows.rows);
    expect(dump).not.toContain('access-1-');
    expect(dump).not.toContain('refresh-1');
    expect(await h.backend.tokens!.getAccessToken('4242')).toBe(tokenReply(1).access_token);
  });

  it('re-install creates only what is missing (409-free) and reactivates the portal', async () => {
    mockPropertyCreation();
    await install(h);
    await h.backend.installer!.uninstall('4242').catch(() => undefined);
    nock.cleanAll();
    const props = mockPropertyCreation(CONTRACT_PROPERTIES.map((p) => p.name));
    const { cb } = await install(h, 4242, 2);
    expect(cb.status).toBe(200);
    expect(props.scope.isDone()).toBe(true);
    expect(props.created).toEqual([]);
    expect((await h.backend.tokenStore.getInstall('4242'))?.status).toBe('active');
  });

  it('treats 409 on a property create as already there', async () => {
    nock(API)
      .get('/crm/v3/properties/contacts/groups')
      .reply(200, { results: [] })
      .post('/crm/v3/properties/contacts/groups')
      .reply(409, { status: 'error', message: 'group already exists', category: 'CONFLICT' })
      .get('/crm/v3/properties/contacts')
      .query(true)
      .reply(200, { results: [] })
      .post('/crm/v3/properties/contacts')
      .times(CONTRACT_PROPERTIES.length)
      .reply(409, { status: 'error', message: 'Property already exists', category: 'CONFLICT' });
    const { cb } = await install(h);
    expect(cb.status).toBe(200);
    expect(await cb.text()).toContain(`既存 ${CONTRACT_PROPERTIES.length} 件`);
  });

  it('rejects a missing, unknown or reused state without calling HubSpot', async () => {
    const missing = await fetch(`${h.base}/oauth/callback?code=the-code`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('state パラメータがありません');
    const wrong = await fetch(`${h.base}/oauth/callback?code=the-code&state=forged`);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('The state is not one this server issued');

    mockPropertyCreation();
    const { state, cb, headers } = await install(h);
    expect(cb.status).toBe(200);
    const reused = await fetch(`${h.base}/oauth/callback?code=the-code&state=${state}`, { headers });
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain('This state was already used');
  });

  it('rejects an expired state', async () => {
    const res = await fetch(`${h.base}/oauth/install`, { redirect: 'manual' });
    const state = new URL(res.headers.get('location')!).searchParams.get('state')!;
    h.clock.advance(10 * 60 * 1000 + 1);
    const cb = await fetch(`${h.base}/oauth/callback?code=the-code&state=${state}`, { headers: stateCookie(res) });
    expect(cb.status).toBe(400);
    expect(await cb.text()).toContain('The state expired');
  });

  it('reports a failed code exchange with the fix', async () => {
    const res = await fetch(`${h.base}/oauth/install`, { redirect: 'manual' });
    const state = new URL(res.headers.get('location')!).searchParams.get('state')!;
    nock(API).post('/oauth/2026-03/token').reply(400, { error: 'invalid_grant', error_description: 'code expired', status: 'BAD_AUTH_CODE' });
    const cb = await fetch(`${h.base}/oauth/callback?code=the-code&state=${state}`, { headers: stateCookie(res) });
    expect(cb.status).toBe(400);
    const text = await cb.text();
    expect(text).toContain('invalid_grant');
    expect(text).toContain('HUBSPOT_CLIENT_SECRET');
  });
});

describe('token refresh', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    mockPropertyCreation();
    await install(h);
    nock.cleanAll();
  });
  afterEach(async () => {
    await h.backend.close();
    await h.db.close();
  });

  it('uses the stored token while it has more than 6 minutes left, and refreshes before expiry', async () => {
    const tokens = h.backend.tokens!;
    h.clock.advance(23 * 60 * 1000); // 7 min left: no refresh
    expect(await tokens.getAccessToken('4242')).toBe(tokenReply(1).access_token);
    const refresh = nock(API)
      .post('/oauth/2026-03/token', (b: Record<string, string>) => b.grant_type === 'refresh_token' && b.refresh_token === 'refresh-1')
      .reply(200, tokenReply(2));
    h.clock.advance(2 * 60 * 1000); // 5 min left: refresh proactively
    expect(await tokens.getAccessToken('4242')).toBe(tokenReply(2).access_token);
    expect(refresh.isDone()).toBe(true);
  });

  it('ten concurrent callers cause exactly one refresh call', async () => {
    const tokens = h.backend.tokens!;
    h.clock.advance(29 * 60 * 1000);
    const refresh = nock(API).post('/oauth/2026-03/token').delay(50).reply(200, tokenReply(3));
    const results = await Promise.all(Array.from({ length: 10 }, () => tokens.getAccessToken('4242')));
    expect(new Set(results)).toEqual(new Set([tokenReply(3).access_token]));
    expect(refresh.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('invalid_grant marks the install disconnected and stops its work', async () => {
    const tokens = h.backend.tokens!;
    h.clock.advance(29 * 60 * 1000);
    nock(API).post('/oauth/2026-03/token').reply(400, { error: 'invalid_grant', error_description: 'refresh token revoked' });
    await expect(tokens.getAccessToken('4242')).rejects.toBeInstanceOf(InstallNotActiveError);
    const install = await h.backend.tokenStore.getInstall('4242');
    expect(install?.status).toBe('disconnected');
    // No further HubSpot call is attempted for a disconnected portal.
    await expect(tokens.getAccessToken('4242')).rejects.toThrow(/disconnected/);
  });

  it('a transient refresh failure surfaces as an error and leaves the install active', async () => {
    const tokens = h.backend.tokens!;
    h.clock.advance(29 * 60 * 1000);
    nock(API).post('/oauth/2026-03/token').reply(502, 'bad gateway');
    await expect(tokens.getAccessToken('4242')).rejects.toThrow(/502/);
    expect((await h.backend.tokenStore.getInstall('4242'))?.status).toBe('active');
  });

  it('a ciphertext moved to another portal row fails authentication', async () => {
    await h.db.query("insert into installs (portal_id, status, installed_at, updated_at) values (777, 'active', 0, 0)");
    await h.db.query(
      'insert into oauth_tokens (portal_id, refresh_token_ct, access_token_ct, access_expires_at, updated_at) select 777, refresh_token_ct, access_token_ct, access_expires_at, updated_at from oauth_tokens where portal_id = 4242',
    );
    await expect(h.backend.tokens!.getAccessToken('777')).rejects.toThrow(/failed authentication/);
  });

  it('uninstall (v3-signed) revokes, purges tokens and settings, and stops the portal', async () => {
    const revoke = nock(API).post('/oauth/2026-03/token/revoke').reply(200, {});
    // Only a super admin may uninstall (app/test/security/uninstall-admin-only.test.ts).
    nock(API).get('/settings/v3/users/1').query(true).reply(200, { id: '1', email: 'admin@example.jp', superAdmin: true });
    const path = '/oauth/uninstall?userId=1&portalId=4242&userEmail=admin%40example.jp&appId=1';
    const ts = String(h.clock.now());
    const unsigned = await fetch(`${h.base}${path}`, { method: 'POST' });
    expect(unsigned.status).toBe(401);
    const sig = signV3({ clientSecret: 'secret-456', method: 'POST', uri: `https://tossup.example.com${path}`, body: '', timestamp: ts });
    const res = await fetch(`${h.base}${path}`, { method: 'POST', headers: { 'x-hubspot-signature-v3': sig, 'x-hubspot-request-timestamp': ts } });
    expect(res.status).toBe(200);
    expect(revoke.isDone()).toBe(true);
    expect((await h.db.query('select 1 from oauth_tokens where portal_id = 4242')).rows).toHaveLength(0);
    await expect(h.backend.tokens!.getAccessToken('4242')).rejects.toThrow(/uninstalled/);
  });
});

describe('token cipher', () => {
  it('decrypts rows written with a previous key after rotation and flags them for re-encryption', () => {
    const oldKey = Buffer.alloc(32, 1);
    const newKey = Buffer.alloc(32, 2);
    const before = createTokenCipher(oldKey).encrypt('5', 'tok');
    const after = createTokenCipher(newKey, [oldKey]);
    expect(after.decrypt('5', before)).toBe('tok');
    expect(after.needsRotation(before)).toBe(true);
    expect(after.needsRotation(after.encrypt('5', 'tok'))).toBe(false);
    expect(() => createTokenCipher(newKey).decrypt('5', before)).toThrow(/TOKEN_ENCRYPTION_PREVIOUS_KEYS/);
  });

  it('never produces the same ciphertext twice and detects tampering', () => {
    const c = createTokenCipher(Buffer.alloc(32, 3));
    const a = c.encrypt('1', 'same');
    expect(c.encrypt('1', 'same')).not.toBe(a);
    const parts = a.split('.');
    parts[4] = Buffer.from('other').toString('base64url');
    expect(() => c.decrypt('1', parts.join('.'))).toThrow(/failed authentication/);
  });
});
