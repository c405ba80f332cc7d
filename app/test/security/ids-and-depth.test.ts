/**
 * Finding 5: a card path id beyond PostgreSQL's bigint gave a 500, and JSON nested
 * ~5,000 deep overflowed the stack ("body is not JSON"). Now ids from the path and
 * the signed query are checked against int8 (400 / 401 with a message) and nesting
 * is counted on the bytes before JSON.parse (app/src/platform/json-depth.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/storage/database';
import { migrate } from '../../src/storage/migrate';
import { signV3 } from '../../src/platform/hubspot-signature';
import { createFakeWorld, PUBLIC_BASE_URL, SECRET, send, signedPath, startCardApi, T0, testContext, type CardServer } from '../card-api/card-api-test-kit';
import { postWebhook, signedHeaders, startWebhookServer, testContext as webhookContext, type TestServer } from '../webhooks/webhook-test-kit';

const BEYOND_INT8 = '18446744073709551616';
const DEEP = '['.repeat(10_000) + ']'.repeat(10_000);

let db: Database;
let card: CardServer;
let webhooks: TestServer;
beforeAll(async () => {
  db = await createDatabase({ kind: 'pglite' });
  await migrate(db);
  card = await startCardApi(testContext(db, createFakeWorld().deps));
  webhooks = await startWebhookServer(webhookContext(db));
});
afterAll(async () => {
  await card.close();
  await webhooks.close();
  await db.close();
});

describe('ids and nesting', () => {
  it('a path id beyond bigint is a 400 naming the limit; a portalId beyond bigint in the signed query is refused', async () => {
    const path = await send(card, { method: 'GET', path: `/api/v1/contacts/${BEYOND_INT8}/timeline`, userId: '9201' });
    expect(path.status).toBe(400);
    expect(path.json.error?.code).toBe('invalid_request');
    expect(path.json.error?.message_en).toContain('9223372036854775807');
    const portal = await send(card, { method: 'GET', path: '/api/v1/contacts/5001/timeline', userId: '9201', portalId: BEYOND_INT8 });
    expect(portal.status).toBe(401);
  });

  it('a body nested 10,000 deep is refused as too deep, on the card API and the webhook route', async () => {
    const path = signedPath('/api/v1/contacts/5001/handoff', '9201');
    const res = await fetch(`${card.origin}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signV3({ clientSecret: SECRET, method: 'POST', uri: `${PUBLIC_BASE_URL}${path}`, body: DEEP, timestamp: T0 }),
        'x-hubspot-request-timestamp': String(T0),
      },
      body: DEEP,
    });
    const deepCard = (await res.json()) as { error?: { message_en: string } };
    expect(res.status).toBe(400);
    expect(deepCard.error?.message_en).toContain('levels deep');
    const deepHook = await postWebhook(webhooks, DEEP, signedHeaders(DEEP));
    expect(deepHook.status).toBe(400);
    expect(deepHook.json).toMatchObject({ error: 'invalid_events' });
  });
});
