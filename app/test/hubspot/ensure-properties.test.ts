import nock from 'nock';
import type { Counter } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_PROPERTIES, contractProperties, dealContractProperties } from '@tossup/shared/contract-properties';
import { createTestDatabase, type TestDatabase } from '../../dev/throwaway-database';
import { ensureContractProperties } from '../../src/hubspot/ensure-properties';
import { createMemoryRateBudget } from '../../src/hubspot/rate-budget';
import { API, gatewayKit } from './gateway-test-kit';

const GROUP = { name: 'tossup', label: 'tossup', displayOrder: -1, archived: false };
const PROPERTY = { name: 'created', label: 'created', type: 'string', fieldType: 'text', groupName: 'tossup' };
const rolling = { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' };

/** The property set-up runs on the gateway's call path: the portal's token, budget and retries. */
describe('contract properties through the gateway', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("creates the group and every property with the portal's token, retrying a 429 after the window", async () => {
    const { gateway, sleeps, metrics } = gatewayKit(t.db);
    const created: string[] = [];
    const scope = nock(API, { reqheaders: { authorization: 'Bearer token-62515' } })
      .get('/crm/v3/properties/contacts/groups')
      .reply(200, { results: [] })
      .post('/crm/v3/properties/contacts/groups')
      .reply(201, GROUP)
      .get('/crm/v3/properties/contacts')
      .query(true)
      .reply(200, { results: [] })
      .post('/crm/v3/properties/contacts')
      .reply(429, rolling)
      .post('/crm/v3/properties/contacts', (body: { name?: unknown }) => {
        if (typeof body?.name === 'string') created.push(body.name);
        return true;
      })
      .times(CONTRACT_PROPERTIES.length)
      .reply(201, PROPERTY);

    const result = await gateway.ensureContractProperties('62515');
    expect(scope.isDone()).toBe(true);
    expect(sleeps).toEqual([10_000]);
    expect(result.groupCreated).toBe(true);
    expect(result.created).toEqual(CONTRACT_PROPERTIES.map((p) => p.name));
    expect([...new Set(created)].sort()).toEqual(CONTRACT_PROPERTIES.map((p) => p.name).sort());
    expect(result.apiCalls).toBe(3 + CONTRACT_PROPERTIES.length);

    const requests = metrics.registry.getSingleMetric('tossup_hubspot_requests_total') as Counter<'operation' | 'outcome'>;
    const values = (await requests.get()).values;
    const count = (operation: string, outcome: string) => values.find((v) => v.labels.operation === operation && v.labels.outcome === outcome)?.value;
    expect(count('properties.contacts.create', 'ok')).toBe(CONTRACT_PROPERTIES.length);
    expect(count('properties.contacts.create', 'rate_limit')).toBe(1);
  });

  it("labels every property, description and option in the portal's one language (never 「予算 / Budget」)", async () => {
    const japanese = /[ぁ-んァ-ン一-龥]/;
    for (const props of [contractProperties('ja'), dealContractProperties('ja')]) {
      for (const p of props) {
        for (const text of [p.label, p.description, ...(p.options ?? []).map((o) => o.label)]) expect(text).not.toMatch(/ \/ /);
        expect(p.label === 'MQL' || japanese.test(p.label), p.name).toBe(true);
      }
    }
    for (const props of [contractProperties('en'), dealContractProperties('en')]) {
      for (const p of props) {
        // Option labels of the reject reasons come from the default list, English side.
        for (const text of [p.label, p.description, ...(p.options ?? []).map((o) => o.label)]) expect(text, p.name).not.toMatch(japanese);
      }
    }
    expect(contractProperties('en').map((p) => p.name)).toEqual(CONTRACT_PROPERTIES.map((p) => p.name));

    const { gateway } = gatewayKit(t.db);
    const labels: string[] = [];
    const scope = nock(API)
      .get('/crm/v3/properties/contacts/groups')
      .reply(200, { results: [GROUP] })
      .get('/crm/v3/properties/contacts')
      .query(true)
      .reply(200, { results: [] })
      .post('/crm/v3/properties/contacts', (body: { label?: unknown }) => {
        if (typeof body?.label === 'string') labels.push(body.label);
        return true;
      })
      .times(CONTRACT_PROPERTIES.length)
      .reply(201, PROPERTY);
    await gateway.ensureContractProperties('62515', 'en');
    expect(scope.isDone()).toBe(true);
    expect(labels).toContain('BANT: Budget');
    expect(labels).not.toContain('BANT: 予算');
  });

  it("waits for the portal's budget like every other call", async () => {
    const budget = createMemoryRateBudget({ standard: { max: 2, windowMs: 10_000 }, search: { max: 5, windowMs: 1_000 } });
    const { gateway, sleeps } = gatewayKit(t.db, { rateBudget: budget });
    const all = CONTRACT_PROPERTIES.map((p) => ({ ...PROPERTY, name: p.name }));
    nock(API)
      .get('/crm/v3/properties/contacts/groups')
      .reply(200, { results: [] })
      .post('/crm/v3/properties/contacts/groups')
      .reply(201, GROUP)
      .get('/crm/v3/properties/contacts')
      .query(true)
      .reply(200, { results: all });
    const result = await gateway.ensureContractProperties('62515');
    expect(result).toMatchObject({ groupCreated: true, created: [], apiCalls: 3 });
    // Two calls fill the window; the third waits for it.
    expect(sleeps).toEqual([10_000]);
  });

  it('a refused create names the property and is not retried; 409 counts as already there', async () => {
    const { gateway, sleeps } = gatewayKit(t.db);
    const first = CONTRACT_PROPERTIES[0]!;
    const rest = CONTRACT_PROPERTIES.slice(1).map((p) => ({ ...PROPERTY, name: p.name }));
    nock(API)
      .get('/crm/v3/properties/contacts/groups')
      .reply(200, { results: [] })
      .post('/crm/v3/properties/contacts/groups')
      .reply(409, { status: 'error', message: 'group already exists', category: 'CONFLICT' })
      .get('/crm/v3/properties/contacts')
      .query(true)
      .reply(200, { results: rest })
      .post('/crm/v3/properties/contacts')
      .reply(400, { status: 'error', message: 'Invalid input', category: 'VALIDATION_ERROR' });
    await expect(gateway.ensureContractProperties('62515')).rejects.toThrow(`could not create contact property ${first.name} (400)`);
    expect(sleeps).toEqual([]);
  });

  it('a tool without a gateway uses the same call path with a bare access token', async () => {
    const all = CONTRACT_PROPERTIES.map((p) => ({ ...PROPERTY, name: p.name }));
    const scope = nock(API, { reqheaders: { authorization: 'Bearer bare-token' } })
      .get('/crm/v3/properties/contacts/groups')
      .reply(200, { results: [GROUP] })
      .get('/crm/v3/properties/contacts')
      .query(true)
      .reply(200, { results: all });
    const result = await ensureContractProperties({ accessToken: 'bare-token', apiBaseUrl: API });
    expect(scope.isDone()).toBe(true);
    expect(result).toMatchObject({ groupCreated: false, created: [], existing: CONTRACT_PROPERTIES.map((p) => p.name), apiCalls: 2 });
  });
});
