import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/platform/clock';
import { createSandbox, type Sandbox } from '../../../dev/sandbox/create-sandbox';

/**
 * The degraded-portal knobs (app/dev/sandbox/scope-denial.ts): a scope denied per
 * portal answers 403 MISSING_SCOPES with HubSpot's body, and an access token ended
 * early answers 401 EXPIRED_AUTHENTICATION while its refresh token still works.
 */
const START = Date.parse('2026-06-01T00:00:00Z');

describe('sandbox degraded portals', () => {
  let sandbox: Sandbox;
  const clock = createManualClock(START);
  beforeAll(async () => {
    sandbox = await createSandbox({ clock });
  });
  afterAll(() => sandbox.close());

  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}/__sandbox/portals/${sandbox.portalId}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

  it('a denied scope answers 403 MISSING_SCOPES naming it; other calls and other portals are untouched; lifting it restores the call', async () => {
    const { access_token } = sandbox.issueTokens();
    const get = (path: string) => fetch(`${sandbox.url}${path}`, { headers: { authorization: `Bearer ${access_token}` } });
    expect((await admin('POST', '/denied-scopes', { scope: 'crm.objects.marketing_events.read' })).status).toBe(200);

    const refused = await get('/marketing/v3/marketing-events');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      status: 'error',
      message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      correlationId: expect.any(String),
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.marketing_events.read', 'crm.objects.marketing_events.write'] } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
      category: 'MISSING_SCOPES',
    });
    expect((await get(`/crm/v3/objects/contacts/${sandbox.seed!.contactIds[0]}`)).status).toBe(200);

    const other = sandbox.createPortal({ seed: false });
    const otherToken = sandbox.issueTokens(other.portalId).access_token;
    expect((await fetch(`${sandbox.url}/marketing/v3/marketing-events`, { headers: { authorization: `Bearer ${otherToken}` } })).status).toBe(200);

    expect(await (await admin('DELETE', '/denied-scopes')).json()).toEqual({ denied: [] });
    expect((await get('/marketing/v3/marketing-events')).status).toBe(200);
  });

  it('sales-email-read guards the e-mail engagements only', async () => {
    const { access_token } = sandbox.issueTokens();
    await admin('POST', '/denied-scopes', { scope: 'sales-email-read' });
    const read = (type: string) =>
      fetch(`${sandbox.url}/crm/v3/objects/${type}/batch/read`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ id: '1' }], properties: [] }),
      });
    const emails = await read('emails');
    expect(emails.status).toBe(403);
    expect(await emails.json()).toMatchObject({ category: 'MISSING_SCOPES', errors: [{ context: { requiredGranularScopes: ['sales-email-read'] } }] });
    expect((await read('calls')).status).not.toBe(403);
    await admin('DELETE', '/denied-scopes?scope=sales-email-read');
    expect((await read('emails')).status).not.toBe(403);
  });

  it('an access token ended early answers 401 EXPIRED_AUTHENTICATION; its refresh token gives a working one', async () => {
    const grant = sandbox.issueTokens();
    const get = (token: string) => fetch(`${sandbox.url}/crm/v3/objects/contacts/${sandbox.seed!.contactIds[0]}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get(grant.access_token)).status).toBe(200);
    const ended = (await (await admin('POST', '/expire-token')).json()) as { expired: number };
    expect(ended.expired).toBeGreaterThan(0);
    const refused = await get(grant.access_token);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION', correlationId: expect.any(String) });

    const refreshed = await fetch(`${sandbox.url}/oauth/2026-03/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: grant.refresh_token, client_id: sandbox.clientId, client_secret: sandbox.clientSecret }).toString(),
    });
    expect(refreshed.status).toBe(200);
    const { access_token } = (await refreshed.json()) as { access_token: string };
    expect((await get(access_token)).status).toBe(200);
  });
});
