import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/platform/clock';
import { createSandbox, type Sandbox } from '../../../dev/sandbox/create-sandbox';

/**
 * Rate limits, token checks and portal isolation. The sandbox measures its windows on
 * its clock; a manual clock makes "the 111th request inside 10 s" exact and lets the
 * test open the window again by advancing it, without any timed assertion.
 */
const START = Date.parse('2026-06-01T00:00:00Z');

interface ApiError {
  code: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('sandbox rate limits', () => {
  let sandbox: Sandbox;
  const clock = createManualClock(START);
  beforeAll(async () => {
    sandbox = await createSandbox({ clock });
  });
  afterAll(() => sandbox.close());

  it('allows 110 requests per rolling 10 s per portal, then 429 TEN_SECONDLY_ROLLING with HubSpot’s body and headers', async () => {
    const { access_token } = sandbox.issueTokens();
    const id = sandbox.seed?.contactIds[0] as string;
    const url = `${sandbox.url}/crm/v3/objects/contacts/${id}`;
    const get = () => fetch(url, { headers: { authorization: `Bearer ${access_token}` } });

    const first = await get();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('109');
    expect(first.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    for (let i = 2; i <= 110; i++) {
      const r = await get();
      expect(r.status).toBe(200);
      await r.arrayBuffer();
    }
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    const body = (await limited.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
    expect(typeof body.correlationId).toBe('string');
    expect(typeof body.message).toBe('string');

    // Another portal has its own budget.
    const other = sandbox.createPortal({ name: 'B社', seed: false });
    const tokenB = sandbox.issueTokens(other.portalId).access_token;
    const b = await fetch(`${sandbox.url}/crm/v3/owners`, { headers: { authorization: `Bearer ${tokenB}` } });
    expect(b.status).toBe(200);

    // The window rolls on the sandbox clock.
    clock.advance(10_001);
    const again = await get();
    expect(again.status).toBe(200);

    const stats = sandbox.stats().portals[String(sandbox.portalId)];
    expect(stats?.rateLimited).toBe(1);
    expect(stats?.endpoints['GET /crm/v3/objects/contacts/{objectId}']).toMatchObject({ calls: 112, rateLimited: 1 });
  });

  it('limits CRM search to 5 per second with no rate-limit headers and the SDK’s "secondly limit" message', async () => {
    const client = new Client({ accessToken: sandbox.issueTokens().access_token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
    clock.advance(20_000);
    const res = await fetch(`${sandbox.url}/crm/v3/objects/contacts/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.issueTokens().access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ limit: 1 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBeNull();
    for (let i = 0; i < 4; i++) await client.crm.contacts.searchApi.doSearch({ limit: 1 });
    const e = await failure(client.crm.contacts.searchApi.doSearch({ limit: 1 }));
    expect(e.code).toBe(429);
    expect(e.body.message).toBe('You have reached your secondly limit.');
    clock.advance(1_001);
    await expect(client.crm.contacts.searchApi.doSearch({ limit: 1 })).resolves.toBeDefined();
    expect(sandbox.stats().portals[String(sandbox.portalId)]?.searchRateLimited).toBe(1);
  });

  it('injects faults: forced 429s, then 5xx and 423 at the configured rate', async () => {
    clock.advance(20_000);
    const client = new Client({ accessToken: sandbox.issueTokens().access_token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
    sandbox.setFaults({ force429Count: 2 });
    expect((await failure(client.crm.owners.ownersApi.getPage())).code).toBe(429);
    expect((await failure(client.crm.owners.ownersApi.getPage())).code).toBe(429);
    await expect(client.crm.owners.ownersApi.getPage()).resolves.toBeDefined();
    sandbox.setFaults({ serverErrorRate: 1 });
    expect([500, 502, 503]).toContain((await failure(client.crm.owners.ownersApi.getPage())).code);
    sandbox.setFaults({ lockedRate: 1 });
    expect((await failure(client.crm.owners.ownersApi.getPage())).code).toBe(423);
    sandbox.setFaults({});
    await expect(client.crm.owners.ownersApi.getPage()).resolves.toBeDefined();
  });
});

describe('sandbox tokens and portal isolation', () => {
  let sandbox: Sandbox;
  const clock = createManualClock(START);
  beforeAll(async () => {
    sandbox = await createSandbox({ clock, rateLimit: false });
  });
  afterAll(() => sandbox.close());

  it('answers 401 without a token and with a wrong token', async () => {
    const id = sandbox.seed?.contactIds[0] as string;
    const none = await fetch(`${sandbox.url}/crm/v3/objects/contacts/${id}`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    const wrong = new Client({ accessToken: 'not-a-token', basePath: sandbox.url, numberOfApiCallRetries: 0 });
    const e = await failure(wrong.crm.contacts.basicApi.getById(id));
    expect(e.code).toBe(401);
  });

  it('expires access tokens after 30 minutes of sandbox time; a refreshed token works', async () => {
    const grant = sandbox.issueTokens();
    expect(grant.expires_in).toBe(1800);
    const client = new Client({ accessToken: grant.access_token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
    await expect(client.crm.owners.ownersApi.getPage()).resolves.toBeDefined();
    clock.advance(1800 * 1000);
    const e = await failure(client.crm.owners.ownersApi.getPage());
    expect(e.code).toBe(401);
    expect(e.body.category).toBe('EXPIRED_AUTHENTICATION');
  });

  it('never lets portal A’s token see portal B’s records', async () => {
    const b = sandbox.createPortal({ name: 'B社', seed: true });
    const clientA = new Client({ accessToken: sandbox.issueTokens(sandbox.portalId).access_token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
    const clientB = new Client({ accessToken: sandbox.issueTokens(b.portalId).access_token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
    const inB = await clientB.crm.contacts.basicApi.create({ properties: { email: 'only-in-b@example.jp' }, associations: [] });
    const e = await failure(clientA.crm.contacts.basicApi.getById(inB.id));
    expect(e.code).toBe(404);
    const batch = await clientA.crm.contacts.batchApi.read({ inputs: [{ id: inB.id }], properties: [], propertiesWithHistory: [] });
    expect(batch.results).toHaveLength(0);
    const search = await clientA.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' as never, value: 'only-in-b@example.jp' }] }] });
    expect(search.total).toBe(0);
    // Same seed, separate data: B's owners are B's own records.
    const ownersA = await clientA.crm.owners.ownersApi.getPage();
    const ownersB = await clientB.crm.owners.ownersApi.getPage();
    expect(ownersA.results.map((o) => o.id)).not.toEqual(ownersB.results.map((o) => o.id));
  });

  it('answers 403 MISSING_SCOPES when the token lacks the endpoint’s scope', async () => {
    const c = new Client({ accessToken: sandbox.issueTokens().access_token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
    // The app declares crm.objects.companies.read but not crm.objects.companies.write
    // (deals.write became an optional scope for the hand-off's deal attribution, issue 14).
    const e = await failure(c.crm.companies.basicApi.create({ properties: { name: 'x' }, associations: [] }));
    expect(e.code).toBe(403);
    expect(e.body.category).toBe('MISSING_SCOPES');
  });
});
