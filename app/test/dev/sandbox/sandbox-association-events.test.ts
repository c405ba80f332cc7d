import { fileURLToPath } from 'node:url';
import { Client } from '@hubspot/api-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../../dev/sandbox/create-sandbox';
import { createManualClock } from '../../../src/platform/clock';
import { createReceiver } from './webhook-receiver';

/**
 * Association events as HubSpot sends them: one per side, each for the subscription of
 * its `from` object type (https://developers.hubspot.com/changelog/bugfix-webhook-associationchanges),
 * on every way of associating (v4 single and batch, v3 object endpoints, HubSpot's own
 * company-by-domain association). The fixture subscribes to contact, call and company
 * association changes so both sides are visible.
 */
const START = Date.parse('2026-06-01T00:00:00Z');
const HSMETA = fileURLToPath(new URL('./fixtures/association-webhooks-hsmeta.json', import.meta.url));
type Event = Record<string, unknown>;

describe('sandbox association events', () => {
  const receiver = createReceiver();
  let sandbox: Sandbox;
  let client: Client;
  let token: string;

  beforeAll(async () => {
    const base = await receiver.listen();
    sandbox = await createSandbox({ clock: createManualClock(START), rateLimit: false, appWebhookUrl: `${base}/webhooks/hubspot`, webhooksHsmetaFile: HSMETA, webhooks: { paused: true } });
    token = sandbox.issueTokens().access_token;
    client = new Client({ accessToken: token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
  });
  afterEach(() => {
    receiver.received.length = 0;
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  async function delivered(): Promise<Event[]> {
    await sandbox.flushWebhooks();
    return receiver.received.flatMap((r) => (Array.isArray(r.json) ? (r.json as Event[]) : [])).filter((e) => e.subscriptionType === 'object.associationChange');
  }
  const side = (e: Event) => [e.fromObjectTypeId, String(e.fromObjectId), e.toObjectTypeId, String(e.toObjectId), e.associationTypeId, e.associationRemoved];
  const call = async () => (await client.crm.objects.calls.basicApi.create({ properties: { hs_timestamp: String(START), hs_call_title: 'dialer' }, associations: [] })).id;
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  it('a call associated in a later v3 request fires contact → call and call → contact; deleting fires both again, removed', async () => {
    const contactId = sandbox.seed!.contactIds[0]!;
    const callId = await call();
    await delivered();
    receiver.received.length = 0;

    const put = await api('PUT', `/crm/v3/objects/calls/${callId}/associations/contacts/${contactId}/194`);
    expect(put.status).toBe(200);
    let got = await delivered();
    expect(got.map(side).sort()).toEqual(
      [
        ['0-1', contactId, '0-48', callId, 193, false],
        ['0-48', callId, '0-1', contactId, 194, false],
      ].sort(),
    );
    expect(got[0]).toMatchObject({ associationCategory: 'HUBSPOT_DEFINED', changeSource: 'INTEGRATION', portalId: sandbox.portalId });
    expect(new Set(got.map((e) => e.eventId)).size).toBe(2);

    receiver.received.length = 0;
    expect((await api('DELETE', `/crm/v3/objects/calls/${callId}/associations/contacts/${contactId}/call_to_contact`)).status).toBe(204);
    got = await delivered();
    expect(got.map(side).sort()).toEqual(
      [
        ['0-1', contactId, '0-48', callId, 193, true],
        ['0-48', callId, '0-1', contactId, 194, true],
      ].sort(),
    );
  });

  it('v4 single and batch create fire one event per side per association', async () => {
    const [a, b] = sandbox.seed!.contactIds as [string, string];
    const c1 = await call();
    const c2 = await call();
    receiver.received.length = 0;
    expect((await api('PUT', `/crm/v4/objects/contacts/${a}/associations/calls/${c1}`, [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 193 }])).status).toBe(201);
    expect((await api('POST', '/crm/v4/associations/calls/contacts/batch/create', { inputs: [{ from: { id: c2 }, to: { id: b }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }] }] })).status).toBe(201);
    const got = await delivered();
    expect(got.map(side).sort()).toEqual(
      [
        ['0-1', a, '0-48', c1, 193, false],
        ['0-48', c1, '0-1', a, 194, false],
        ['0-48', c2, '0-1', b, 194, false],
        ['0-1', b, '0-48', c2, 193, false],
      ].sort(),
    );
  });

  it('with company auto-association on, a new contact is linked to the company of its e-mail domain by HubSpot, both sides fired', async () => {
    const portal = sandbox.portal();
    const company = Object.values(portal.objects.companies).find((x) => x.properties.domain)!;
    receiver.received.length = 0;
    const plain = await client.crm.contacts.basicApi.create({ properties: { email: `off@${company.properties.domain}` }, associations: [] });
    expect(await delivered()).toEqual([]);

    portal.autoAssociateCompaniesByDomain = true;
    try {
      const linked = await client.crm.contacts.basicApi.create({ properties: { email: `on@${company.properties.domain!.toUpperCase()}` }, associations: [] });
      const got = await delivered();
      expect(got.map(side).sort()).toEqual(
        [
          ['0-1', linked.id, '0-2', company.id, 1, false],
          ['0-1', linked.id, '0-2', company.id, 279, false],
          ['0-2', company.id, '0-1', linked.id, 2, false],
          ['0-2', company.id, '0-1', linked.id, 280, false],
        ].sort(),
      );
      // HubSpot's automation, not the app that created the contact.
      for (const e of got) expect(e).toMatchObject({ changeSource: 'CALCULATED' });
      expect(sandbox.portal().objects.contacts[linked.id]?.properties.associatedcompanyid).toBe(company.id);
      expect(sandbox.portal().objects.contacts[plain.id]?.properties.associatedcompanyid).toBeUndefined();
    } finally {
      portal.autoAssociateCompaniesByDomain = false;
    }
  });
});
