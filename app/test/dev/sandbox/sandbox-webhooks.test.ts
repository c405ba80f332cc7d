import { createHash, createHmac } from 'node:crypto';
import { Client } from '@hubspot/api-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/platform/clock';
import { signV3 } from '../../../src/platform/hubspot-signature';
import { createSandbox, type Sandbox } from '../../../dev/sandbox/create-sandbox';
import { createReceiver, type Received } from './webhook-receiver';

/**
 * Webhook delivery and card requests, checked from the receiving side: what arrives at
 * a plain HTTP server, verified with an HMAC computed here (not with our own signer).
 */
const START = Date.parse('2026-06-01T00:00:00Z');
const PUBLIC = 'https://tossup.example.com';

type Event = Record<string, unknown>;
const events = (r: Received[]): Event[] => r.flatMap((x) => (Array.isArray(x.json) ? (x.json as Event[]) : []));

describe('v3 signature known-answer vector', () => {
  const vector = { secret: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy', method: 'POST', uri: 'https://www.example.com/webhook_uri', body: '{"example_field":"example_value"}', timestamp: 1700000000000 };
  const expected = 'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=';

  it('matches the vector computed outside our code, both with an inline HMAC and with signV3', () => {
    const inline = createHmac('sha256', vector.secret).update(`${vector.method}${vector.uri}${vector.body}${vector.timestamp}`, 'utf8').digest('base64');
    expect(inline).toBe(expected);
    expect(signV3({ clientSecret: vector.secret, method: vector.method, uri: vector.uri, body: vector.body, timestamp: vector.timestamp })).toBe(expected);
  });
});

describe('sandbox webhook delivery', () => {
  const receiver = createReceiver();
  let sandbox: Sandbox;
  let client: Client;
  const clock = createManualClock(START);

  beforeAll(async () => {
    const base = await receiver.listen();
    sandbox = await createSandbox({
      clock,
      rateLimit: false,
      appWebhookUrl: `${base}/webhooks/hubspot`,
      appPublicBaseUrl: PUBLIC,
      webhooks: { paused: true, timeoutMs: 300 },
    });
    client = new Client({ accessToken: sandbox.issueTokens().access_token, basePath: sandbox.url, numberOfApiCallRetries: 0 });
  });
  afterEach(() => {
    receiver.received.length = 0;
    receiver.script([]);
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  it('reads the subscriptions from webhooks-hsmeta.json', () => {
    const types = sandbox.subscriptions.map((s) => `${s.subscriptionType}:${s.objectType}:${s.propertyName ?? ''}`);
    expect(types).toContain('object.propertyChange:contacts:jobtitle');
    expect(types).toContain('object.creation:meetings:');
    expect(types).toContain('contact.privacyDeletion:contacts:');
  });

  it('delivers an app write as INTEGRATION with the app id, signed v3 over the public URL', async () => {
    const id = sandbox.seed?.contactIds[0] as string;
    await client.crm.contacts.basicApi.update(id, { properties: { jobtitle: '執行役員', city: '東京' } });
    expect(receiver.received).toHaveLength(0); // paused until flushed
    const r = await sandbox.flushWebhooks();
    expect(r.delivered).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const req = receiver.received[0] as Received;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/webhooks/hubspot');
    expect(req.headers['content-type']).toBe('application/json');

    // Independent verification: HMAC-SHA256(secret, METHOD + public URI + raw body + timestamp).
    const ts = String(req.headers['x-hubspot-request-timestamp']);
    expect(ts).toBe(String(START));
    const expected = createHmac('sha256', sandbox.clientSecret).update(`POST${PUBLIC}/webhooks/hubspot${req.raw}${ts}`, 'utf8').digest('base64');
    expect(req.headers['x-hubspot-signature-v3']).toBe(expected);
    expect(req.headers['x-hubspot-signature']).toBe(createHash('sha256').update(sandbox.clientSecret + req.raw).digest('hex'));

    // Only subscribed properties produce events (city is not subscribed).
    expect(req.json).toEqual([
      {
        eventId: expect.any(Number),
        subscriptionId: sandbox.subscriptions.find((s) => s.propertyName === 'jobtitle')?.id,
        portalId: sandbox.portalId,
        appId: sandbox.appId,
        occurredAt: START,
        subscriptionType: 'object.propertyChange',
        attemptNumber: 0,
        objectId: Number(id),
        objectTypeId: '0-1',
        propertyName: 'jobtitle',
        propertyValue: '執行役員',
        changeSource: 'INTEGRATION',
        sourceId: String(sandbox.appId),
        isSensitive: false,
      },
    ]);
  });

  it('redelivers after a non-2xx and after a timeout, incrementing attemptNumber', async () => {
    const id = sandbox.seed?.contactIds[1] as string;
    receiver.script([500, 'hang', 200]);
    sandbox.scenario.setLeadStatus({ contactId: id, status: 'IN_PROGRESS' });
    const r = await sandbox.flushWebhooks();
    expect(r).toEqual({ delivered: 1, dropped: 0 });
    expect(receiver.received).toHaveLength(3);
    const attempts = receiver.received.map((x) => (x.json as Event[]).map((e) => [e.eventId, e.attemptNumber]));
    const eventId = attempts[0]?.[0]?.[0];
    expect(attempts).toEqual([[[eventId, 0]], [[eventId, 1]], [[eventId, 2]]]);
    const e = (receiver.received[2]?.json as Event[])[0];
    expect(e).toMatchObject({ propertyName: 'hs_lead_status', propertyValue: 'IN_PROGRESS', changeSource: 'CRM_UI' });
    expect(String(e?.sourceId)).toMatch(/^userId:\d+$/);
    expect(sandbox.stats().webhooks.failedAttempts).toBeGreaterThanOrEqual(2);
  });

  it('sends batches of at most 100 events', async () => {
    const inputs = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ properties: { email: `bulk${from + i}@example.jp` }, associations: [] }));
    const a = await client.crm.contacts.batchApi.create({ inputs: inputs(100, 0) });
    const b = await client.crm.contacts.batchApi.create({ inputs: inputs(50, 100) });
    await sandbox.flushWebhooks();
    expect(receiver.received.length).toBeGreaterThanOrEqual(2);
    for (const req of receiver.received) expect((req.json as Event[]).length).toBeLessThanOrEqual(100);
    const created = events(receiver.received).filter((e) => e.subscriptionType === 'object.creation' && e.objectTypeId === '0-1');
    expect(created.map((e) => String(e.objectId)).sort()).toEqual([...a.results, ...b.results].map((r) => r.id).sort());
  });

  it('emits what HubSpot emits for a form submission and a logged call', async () => {
    const contactId = sandbox.seed?.contactIds[2] as string;
    const formId = sandbox.seed?.formIds.download as string;
    sandbox.scenario.submitForm({ contactId, formId });
    const callOwner = sandbox.seed?.ownerIds.fieldSales[1] as string;
    const { objectId: callId } = sandbox.scenario.logActivity({ type: 'call', contactId, ownerId: callOwner });
    await sandbox.flushWebhooks();
    const got = events(receiver.received);
    expect(got).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ propertyName: 'num_conversion_events', propertyValue: '1', changeSource: 'FORMS', sourceId: formId }),
        expect.objectContaining({ propertyName: 'recent_conversion_event_name', propertyValue: '資料ダウンロード｜営業DX完全ガイド' }),
        expect.objectContaining({ subscriptionType: 'object.creation', objectTypeId: '0-48', objectId: Number(callId) }),
        expect.objectContaining({ subscriptionType: 'object.associationChange', fromObjectTypeId: '0-1', toObjectTypeId: '0-48', fromObjectId: Number(contactId), toObjectId: Number(callId), associationTypeId: 193 }),
        expect.objectContaining({ propertyName: 'notes_last_contacted', propertyValue: new Date(START).toISOString(), changeSource: 'CALCULATED' }),
      ]),
    );
    const contact = await client.crm.contacts.basicApi.getById(contactId, ['num_conversion_events', 'first_conversion_event_name'], ['recent_conversion_event_name']);
    expect(contact.properties.first_conversion_event_name).toBe('資料ダウンロード｜営業DX完全ガイド');
    expect(contact.propertiesWithHistory?.recent_conversion_event_name?.[0]).toMatchObject({ sourceType: 'FORM', sourceId: formId });
  });

  it('can duplicate and shuffle deliveries for the pipeline’s tests', async () => {
    const rx = createReceiver();
    const url = await rx.listen();
    const s = await createSandbox({ clock, rateLimit: false, appWebhookUrl: `${url}/webhooks/hubspot`, webhooks: { paused: true, duplicateRate: 1, shuffle: true } });
    try {
      const c = new Client({ accessToken: s.issueTokens().access_token, basePath: s.url, numberOfApiCallRetries: 0 });
      await c.crm.contacts.basicApi.update(s.seed?.contactIds[0] as string, { properties: { jobtitle: '部長' } });
      await s.flushWebhooks();
      const got = events(rx.received);
      expect(got).toHaveLength(2);
      expect(got[0]?.eventId).toBe(got[1]?.eventId);
      expect(s.stats().webhooks.duplicatesInjected).toBe(1);
    } finally {
      await s.close();
      await rx.close();
    }
  });
});

describe('sandbox cardFetch (hubspot.fetch)', () => {
  it('appends userId, portalId, userEmail, appId and signs the public URL, method and JSON body', async () => {
    const rx = createReceiver();
    const base = await rx.listen();
    const clock = createManualClock(START);
    const s = await createSandbox({ clock, rateLimit: false, appWebhookUrl: `${base}/webhooks/hubspot`, appPublicBaseUrl: PUBLIC });
    try {
      rx.script([200]);
      const owner = s.portal().owners[0];
      const res = await s.cardFetch({ path: '/api/v1/contacts/123/handoff', method: 'POST', body: { reason: '予算確認済み' }, userId: owner?.userId as number });
      expect(res.status).toBe(200);
      // Wrapped as HubSpot's proxy wraps it (sandbox-card-fetch.test.ts covers the envelope).
      expect(res.json).toMatchObject({ status: 'success', responseBody: { ok: true } });
      const req = rx.received[0] as Received;
      const url = new URL(req.url, PUBLIC);
      expect(url.pathname).toBe('/api/v1/contacts/123/handoff');
      expect(Object.fromEntries(url.searchParams)).toEqual({ userId: String(owner?.userId), portalId: String(s.portalId), userEmail: owner?.email, appId: String(s.appId) });
      expect(req.raw).toBe(JSON.stringify({ reason: '予算確認済み' }));
      expect(req.headers['content-type']).toBe('application/json');
      // HubSpot signs the URI with %40 decoded to "@" (request-validation docs).
      const signedUri = `${PUBLIC}${req.url}`.replace(/%40/g, '@');
      const expected = createHmac('sha256', s.clientSecret).update(`POST${signedUri}${req.raw}${req.headers['x-hubspot-request-timestamp']}`, 'utf8').digest('base64');
      expect(req.headers['x-hubspot-signature-v3']).toBe(expected);

      rx.script([503, 200]);
      const retried = await s.cardFetch({ path: '/api/v1/ping', userId: 1 });
      expect(retried).toMatchObject({ status: 200, attempts: 2 });
    } finally {
      await s.close();
      await rx.close();
    }
  });
});
