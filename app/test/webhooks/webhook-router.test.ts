import http from 'node:http';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackends, useTestDatabase } from '../../../test/kit/use-test-database';
import { SIGNATURE_FAILURE_HINTS } from '../../src/platform/hubspot-signature';
import type { Database } from '../../src/storage/database';
import { fixture, NOW, postWebhook, PUBLIC_BASE_URL, signedHeaders, startWebhookServer, testContext, type TestServer } from './webhook-test-kit';

// Webhook reliability and security at the HTTP level: signature, timestamps, body
// reading, URI rebuilding, type and size limits, redelivery, storage failures, and no
// HubSpot call on the ack path (docs/hubspot-platform.md §3).
describe.each(testBackends())('POST /webhooks/hubspot on %s', (kind) => {
  const t = useTestDatabase(kind);
  let server: TestServer;
  let ctx: ReturnType<typeof testContext>;
  let hubspot: nock.Scope;

  beforeEach(async () => {
    await t.db.query('delete from webhook_inbox');
    ctx = testContext(t.db);
    server = await startWebhookServer(ctx);
    // Any HubSpot call from the ack path would hit this scope.
    hubspot = nock('https://api.hubapi.com').persist().get(/.*/).reply(500).post(/.*/).reply(500);
  });
  afterEach(async () => {
    expect(hubspot.isDone()).toBe(false);
    await server.close();
  });

  const inbox = async () =>
    (
      await t.db.query<{ event_key: string; status: string; object_id: number | null; payload: Record<string, unknown> }>(
        'select event_key, status, object_id, payload from webhook_inbox order by id',
      )
    ).rows;

  it('stores a valid v3-signed batch once and answers 200 after the insert', async () => {
    const body = fixture('contact.propertyChange/unicode-batch.json');
    const res = await postWebhook(server, body, signedHeaders(body));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'stored', received: 3, stored: 3, ignored: 0, duplicates: 0 });
    const rows = await inbox();
    expect(rows.map((r) => [r.event_key, r.status, r.object_id])).toEqual([
      ['42:1001:1700000000100', 'pending', 501],
      ['42:1002:1700000000200', 'pending', 501],
      ['43:1003:1700000000300', 'pending', 502],
    ]);
    // The stored payload is the parsed event, unicode intact.
    expect(rows[0]!.payload.propertyValue).toBe('営業部長 😀');
    expect(rows[1]!.payload.propertyValue).toBe('\u2028line\u2028sep\u001b');
  });

  it('verifies the byte-exact fixture and refuses the same content re-serialised', async () => {
    const body = fixture('contact.propertyChange/unicode-batch.json');
    const headers = signedHeaders(body);
    const reserialised = JSON.stringify(JSON.parse(body.toString('utf8')));
    expect(reserialised).not.toBe(body.toString('utf8'));
    const res = await postWebhook(server, reserialised, headers);
    expect(res.status).toBe(401);
    expect(await inbox()).toEqual([]);
  });

  it('refuses a tampered body with 401 naming the hint, storing nothing', async () => {
    const body = fixture('contact.propertyChange/unicode-batch.json');
    const headers = signedHeaders(body);
    const tampered = Buffer.from(body);
    tampered[tampered.indexOf('501')] = '6'.charCodeAt(0);
    const res = await postWebhook(server, tampered, headers);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      error: 'invalid_signature',
      reason: 'bad-signature',
      message: `署名を検証できません / ${SIGNATURE_FAILURE_HINTS['bad-signature']}`,
    });
    expect(await inbox()).toEqual([]);
  });

  it('401 for missing signature or timestamp headers', async () => {
    const body = fixture('object.creation/call-created.json');
    const { 'x-hubspot-signature-v3': _s, ...noSig } = signedHeaders(body);
    const { 'x-hubspot-request-timestamp': _t, ...noTs } = signedHeaders(body);
    expect((await postWebhook(server, body, noSig)).json).toMatchObject({ reason: 'missing-signature' });
    expect((await postWebhook(server, body, noTs)).json).toMatchObject({ reason: 'missing-timestamp' });
    expect(await inbox()).toEqual([]);
  });

  it('fails closed when no client secret is configured', async () => {
    const body = fixture('object.creation/call-created.json');
    const open = testContext(t.db);
    open.config.hubspot.clientSecret = undefined;
    const s2 = await startWebhookServer(open);
    try {
      const res = await postWebhook(s2, body, signedHeaders(body));
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ reason: 'no-secret' });
    } finally {
      await s2.close();
    }
  });

  it('without a client secret nothing verifies (fail closed; sandbox mode puts the sandbox secret in the config)', async () => {
    const body = fixture('object.creation/call-created.json');
    const unconfigured = testContext(t.db);
    unconfigured.config.hubspot.clientSecret = undefined;
    const s2 = await startWebhookServer(unconfigured);
    try {
      expect((await postWebhook(s2, body, signedHeaders(body, { secret: 'sandbox-secret' }))).status).toBe(401);
      expect((await postWebhook(s2, body, signedHeaders(body))).status).toBe(401);
    } finally {
      await s2.close();
    }
  });

  it('timestamp window: ±5 min accepted, 1 ms beyond refused, both directions, on the injected clock', async () => {
    const body = fixture('object.creation/call-created.json');
    const at = async (ts: number) => (await postWebhook(server, body, signedHeaders(body, { timestamp: ts }))).status;
    expect(await at(NOW - 300_000)).toBe(200);
    expect(await at(NOW + 300_000)).toBe(200);
    expect(await at(NOW - 300_001)).toBe(401);
    expect(await at(NOW + 300_001)).toBe(401);
    ctx.clock.advance(300_001);
    expect(await at(NOW)).toBe(401);
  });

  it('non-numeric, float and seconds timestamps are 401', async () => {
    const body = fixture('object.creation/call-created.json');
    for (const ts of ['1.7e12', String(NOW / 1000), 'abc']) {
      const res = await postWebhook(server, body, signedHeaders(body, { timestamp: ts }));
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ reason: 'bad-timestamp' });
    }
  });

  it('empty, short and non-base64 signatures are refused without crashing', async () => {
    const body = fixture('object.creation/call-created.json');
    for (const sig of ['', 'x', '!!!!', signedHeaders(body)['x-hubspot-signature-v3']!.slice(0, -2)]) {
      const res = await postWebhook(server, body, { ...signedHeaders(body), 'x-hubspot-signature-v3': sig });
      expect(res.status).toBe(401);
    }
  });

  it('a multi-byte character split across chunks and invalid UTF-8 do not crash the reader', async () => {
    const body = fixture('contact.propertyChange/unicode-batch.json');
    const headers = signedHeaders(body);
    const split = body.indexOf(Buffer.from('😀')) + 2; // inside the 4-byte emoji
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${server.url}/webhooks/hubspot`, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(body.subarray(0, split));
      setImmediate(() => req.end(body.subarray(split)));
    });
    expect(status).toBe(200);

    const invalid = Buffer.concat([Buffer.from('[{"portalId":62515,"occurredAt":1,"subscriptionType":"contact.creation","objectId":5,"x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]')]);
    const res = await postWebhook(server, invalid, signedHeaders(invalid));
    expect(res.status).toBe(200);
  });

  it('rebuilds the signed URI from PUBLIC_BASE_URL, decoding HubSpot\'s reserved escapes; the internal URL does not verify', async () => {
    const body = fixture('object.creation/call-created.json');
    const query = '/webhooks/hubspot?from=a%40b.jp&t=%3A%2F%21';
    // HubSpot signs the decoded form; we decode before signing too.
    const ok = await postWebhook(server, body, signedHeaders(body, { uri: `${PUBLIC_BASE_URL}${query}` }), query);
    expect(ok.status).toBe(200);
    const internal = await postWebhook(server, body, signedHeaders(body, { uri: `${server.url}/webhooks/hubspot` }));
    expect(internal.status).toBe(401);
  });

  it('415 for a non-JSON content type and 413 above the body cap', async () => {
    const body = fixture('object.creation/call-created.json');
    const res = await postWebhook(server, body, { ...signedHeaders(body), 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.json).toMatchObject({ error: 'unsupported_media_type' });
    const latin1 = await postWebhook(server, body, { ...signedHeaders(body), 'content-type': 'application/json; charset=iso-8859-1' });
    expect(latin1.status).toBe(415);

    const small = await startWebhookServer(ctx, { maxBodyBytes: 64 });
    try {
      const big = await postWebhook(small, body, signedHeaders(body));
      expect(big.status).toBe(413);
      expect(big.json).toMatchObject({ error: 'payload_too_large' });
    } finally {
      await small.close();
    }
    expect(await inbox()).toEqual([]);
  });

  it('400 with a clear message for malformed JSON and malformed events, after verification', async () => {
    const notJson = Buffer.from('[{"portalId":');
    const a = await postWebhook(server, notJson, signedHeaders(notJson));
    expect(a.status).toBe(400);
    expect(a.json).toMatchObject({ error: 'invalid_json' });
    const badEvent = Buffer.from('[{"portalId":"abc","occurredAt":1,"subscriptionType":"contact.creation"}]');
    const b = await postWebhook(server, badEvent, signedHeaders(badEvent));
    expect(b.status).toBe(400);
    expect(b.json).toMatchObject({ error: 'invalid_events' });
    expect(String(b.json!.message)).toContain('0.portalId');
    const notArray = Buffer.from('{"portalId":1}');
    expect((await postWebhook(server, notArray, signedHeaders(notArray))).status).toBe(400);
  });

  it('stores unknown subscription types as ignored, and drops other apps\' events', async () => {
    const body = fixture('mixed/unsubscribed-types.json');
    const res = await postWebhook(server, body, signedHeaders(body));
    expect(res.json).toEqual({ status: 'stored', received: 2, stored: 0, ignored: 2, duplicates: 0 });
    expect((await inbox()).map((r) => r.status)).toEqual(['ignored', 'ignored']);

    const other = fixture('mixed/other-app.json');
    const res2 = await postWebhook(server, other, signedHeaders(other));
    expect(res2.json).toEqual({ status: 'stored', received: 1, stored: 0, ignored: 1, duplicates: 0 });
    expect(await inbox()).toHaveLength(2);
  });

  it('a redelivered batch (attemptNumber 1) adds nothing', async () => {
    const first = fixture('contact.propertyChange/unicode-batch.json');
    const again = fixture('contact.propertyChange/redelivery-attempt-1.json');
    await postWebhook(server, first, signedHeaders(first));
    const res = await postWebhook(server, again, signedHeaders(again));
    expect(res.json).toEqual({ status: 'stored', received: 1, stored: 0, ignored: 0, duplicates: 1 });
    const res2 = await postWebhook(server, first, signedHeaders(first));
    expect(res2.json).toMatchObject({ stored: 0, duplicates: 3 });
    expect(await inbox()).toHaveLength(3);
    const metrics = await ctx.metrics.registry.getSingleMetricAsString('tossup_webhook_events_duplicate_total');
    expect(metrics).toContain('tossup_webhook_events_duplicate_total 4');
  });

  it('events without ids are keyed by content hash, ignoring attemptNumber', async () => {
    const body = fixture('mixed/missing-ids.json');
    await postWebhook(server, body, signedHeaders(body));
    const retry = Buffer.from(body.toString('utf8').replace('"objectId":901}', '"objectId":901,"attemptNumber":3}'));
    const res = await postWebhook(server, retry, signedHeaders(retry));
    expect(res.json).toMatchObject({ stored: 0, duplicates: 1 });
    expect((await inbox())[0]!.event_key).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('NUL characters are dropped rather than failing the insert', async () => {
    const body = Buffer.from('[{"eventId":1,"subscriptionId":2,"portalId":62515,"occurredAt":5,"subscriptionType":"contact.propertyChange","objectId":7,"propertyName":"firstname","propertyValue":"a\\u0000b"}]');
    const res = await postWebhook(server, body, signedHeaders(body));
    expect(res.status).toBe(200);
    expect((await inbox())[0]!.payload.propertyValue).toBe('ab');
  });
});

describe('POST /webhooks/hubspot when storage fails', () => {
  it('answers 503 (retryable), never 4xx, and stores nothing', async () => {
    const failing: Database = {
      kind: 'pglite',
      query: async () => {
        throw new Error('connection refused');
      },
      transaction: async () => {
        throw new Error('connection refused');
      },
      close: async () => undefined,
    };
    const ctx = testContext(failing);
    const server = await startWebhookServer(ctx);
    try {
      const body = fixture('object.creation/call-created.json');
      const res = await postWebhook(server, body, signedHeaders(body));
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ error: 'storage_unavailable' });
      // A bad signature is still 401 even while storage is down.
      const bad = await postWebhook(server, body, { ...signedHeaders(body), 'x-hubspot-signature-v3': 'AAAA' });
      expect(bad.status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
