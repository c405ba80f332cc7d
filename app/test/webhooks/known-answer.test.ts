import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/kit/use-test-database';
import { signV3 } from '../../src/platform/hubspot-signature';
import { fixture, NOW, postWebhook, PUBLIC_BASE_URL, SECRET, startWebhookServer, testContext } from './webhook-test-kit';

// Vectors from outside our code (docs/hubspot-platform.md §3.1), so a
// signer and a verifier sharing one bug cannot both pass.
describe('v3 known answers', () => {
  const t = useTestDatabase('pglite');

  it('signV3 reproduces the known-answer vector (recomputed with openssl)', () => {
    expect(
      signV3({
        clientSecret: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy',
        method: 'POST',
        uri: 'https://www.example.com/webhook_uri',
        body: '{"example_field":"example_value"}',
        timestamp: 1700000000000,
      }),
    ).toBe('rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=');
  });

  it('the receiver accepts a signature computed independently of our signer, over the raw fixture bytes', async () => {
    const body = fixture('contact.propertyChange/unicode-batch.json');
    // HubSpot's documented recipe, written out by hand: HMAC-SHA256(secret, method + uri + body + timestamp), base64.
    const signature = createHmac('sha256', SECRET)
      .update(Buffer.concat([Buffer.from(`POST${PUBLIC_BASE_URL}/webhooks/hubspot`), body, Buffer.from(String(NOW))]))
      .digest('base64');
    const server = await startWebhookServer(testContext(t.db));
    try {
      const res = await postWebhook(server, body, { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(NOW) });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ stored: 3 });
    } finally {
      await server.close();
    }
  });
});
