import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/platform/clock';
import { createSandbox, type Sandbox } from '../../../dev/sandbox/create-sandbox';

/** OAuth: authorize page validation, code exchange, refresh, invalid_grant, and a browser-like install. */
const START = Date.parse('2026-06-01T00:00:00Z');
const REQUIRED = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.deals.read',
  'crm.objects.owners.read',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.objects.marketing_events.read',
  'settings.users.read',
];

describe('sandbox OAuth', () => {
  let sandbox: Sandbox;
  const redirectUri = 'http://localhost:3999/oauth/callback';
  beforeAll(async () => {
    sandbox = await createSandbox({ clock: createManualClock(START), appPublicBaseUrl: 'http://localhost:3999', seed: true });
  });
  afterAll(() => sandbox.close());

  const authorizeUrl = (over: Record<string, string> = {}) => {
    const q = new URLSearchParams({ client_id: sandbox.clientId, redirect_uri: redirectUri, scope: REQUIRED.join(' '), state: 'st-1', ...over });
    return `${sandbox.url}/oauth/authorize?${q.toString()}`;
  };
  const token = (body: Record<string, string>, path = '/oauth/2026-03/token') =>
    fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });

  it('refuses install URLs with an unknown client_id, an unregistered redirect_uri, unknown or missing scopes', async () => {
    const cases: Record<string, string>[] = [{ client_id: 'nope' }, { redirect_uri: 'https://evil.example/cb' }, { scope: `${REQUIRED.join(' ')} crm.objects.spaceships.read` }, { scope: 'oauth' }];
    for (const over of cases) {
      const r = await fetch(authorizeUrl(over), { redirect: 'manual' });
      expect(r.status).toBe(400);
      expect(await r.text()).toContain('インストールできません / Cannot install');
    }
    const page = await fetch(authorizeUrl(), { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('接続する / Connect app');
  });

  it('exchanges a code (2026-03), refreshes, and answers invalid_grant for a reused code or unknown refresh token', async () => {
    const approve = await fetch(`${authorizeUrl()}&auto=1`, { redirect: 'manual' });
    expect(approve.status).toBe(302);
    const location = new URL(approve.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('st-1');
    const code = location.searchParams.get('code') as string;

    const ex = await token({ grant_type: 'authorization_code', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, redirect_uri: redirectUri, code });
    expect(ex.status).toBe(200);
    const grant = (await ex.json()) as Record<string, unknown>;
    expect(grant).toMatchObject({ hub_id: sandbox.portalId, expires_in: 1800, token_type: 'bearer', scopes: REQUIRED });
    expect(typeof grant.access_token).toBe('string');
    expect(typeof grant.refresh_token).toBe('string');

    const api = new Client({ accessToken: grant.access_token as string, basePath: sandbox.url, numberOfApiCallRetries: 0 });
    await expect(api.crm.owners.ownersApi.getPage()).resolves.toBeDefined();

    const reused = await token({ grant_type: 'authorization_code', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, redirect_uri: redirectUri, code });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.any(String), status: 'BAD_AUTH_CODE', message: expect.any(String) });

    const refreshed = await token({ grant_type: 'refresh_token', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, refresh_token: grant.refresh_token as string });
    expect(refreshed.status).toBe(200);
    const again = (await refreshed.json()) as Record<string, unknown>;
    expect(again.access_token).not.toBe(grant.access_token);
    expect(again.refresh_token).toBe(grant.refresh_token);

    const bad = await token({ grant_type: 'refresh_token', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, refresh_token: 'na1-unknown' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_grant', status: 'BAD_REFRESH_TOKEN' });

    const wrongSecret = await token({ grant_type: 'refresh_token', client_id: sandbox.clientId, client_secret: 'x', refresh_token: grant.refresh_token as string });
    expect(wrongSecret.status).toBe(400);
    expect(await wrongSecret.json()).toMatchObject({ error: 'invalid_client' });

    // The legacy v1 endpoint, as @hubspot/api-client 14's oauth.tokensApi calls it.
    const sdk = new Client({ basePath: sandbox.url, numberOfApiCallRetries: 0 });
    const v1 = await sdk.oauth.tokensApi.create('refresh_token', undefined, undefined, sandbox.clientId, sandbox.clientSecret, grant.refresh_token as string);
    expect(v1.expiresIn).toBe(1800);
    expect(v1.refreshToken).toBe(grant.refresh_token);

    // Revoking the refresh token ends the install: refresh → invalid_grant, old access tokens → 401.
    await token({ token: grant.refresh_token as string }, '/oauth/2026-03/token/revoke');
    const afterRevoke = await token({ grant_type: 'refresh_token', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, refresh_token: grant.refresh_token as string });
    expect(await afterRevoke.json()).toMatchObject({ error: 'invalid_grant' });
    await expect(api.crm.owners.ownersApi.getPage()).rejects.toMatchObject({ code: 401 });
  });

  it('installApp() drives /oauth/install → approve → callback like a browser, cookies included', async () => {
    // A stand-in app: a CSRF state cookie at install, checked at the callback, then the code exchange.
    let base = '';
    const app: Server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', base);
      if (url.pathname === '/oauth/install') {
        const state = randomUUID();
        const q = new URLSearchParams({ client_id: sandbox.clientId, redirect_uri: `${base}/oauth/callback`, scope: REQUIRED.join(' '), state });
        res.writeHead(302, { location: `${sandbox.url}/oauth/authorize?${q.toString()}`, 'set-cookie': `tossup_state=${state}; HttpOnly; Path=/` });
        return res.end();
      }
      if (url.pathname === '/oauth/callback') {
        const cookie = /tossup_state=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
        if (!cookie || cookie !== url.searchParams.get('state')) {
          res.writeHead(400);
          return res.end('state mismatch');
        }
        const r = await fetch(`${sandbox.url}/oauth/2026-03/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'authorization_code', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, redirect_uri: `${base}/oauth/callback`, code: url.searchParams.get('code') ?? '' }).toString(),
        });
        const j = (await r.json()) as { hub_id?: number };
        res.writeHead(r.status === 200 ? 200 : 502, { 'content-type': 'text/plain' });
        return res.end(`installed ${j.hub_id}`);
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    sandbox.configureApp({ publicBaseUrl: base });
    try {
      const result = await sandbox.installApp(`${base}/oauth/install`);
      expect(result.status).toBe(200);
      expect(result.text).toBe(`installed ${sandbox.portalId}`);
      expect(result.trail.some((t) => t.startsWith('POST ') && t.includes('/oauth/authorize'))).toBe(true);
    } finally {
      await new Promise<void>((resolve) => {
        app.close(() => resolve());
        app.closeAllConnections();
      });
    }
  });
});
