import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSignedUri, signV3, verifyV3 } from '../../src/platform/hubspot-signature';

// Known-answer vector (docs/hubspot-platform.md §3.1), recomputed outside our
// code with openssl:  printf '%s' 'POSThttps://www.example.com/webhook_uri{"example_field":"example_value"}1700000000000' \
//   | openssl dgst -sha256 -hmac yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy -binary | base64
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const URI = 'https://www.example.com/webhook_uri';
const BODY = '{"example_field":"example_value"}';
const TS = 1700000000000;
const KNOWN = 'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=';

const base = { clientSecret: SECRET, method: 'POST', uri: URI, rawBody: Buffer.from(BODY), signature: KNOWN, timestamp: String(TS), now: TS };

describe('v3 signature', () => {
  it('signs the known-answer vector', () => {
    expect(signV3({ clientSecret: SECRET, method: 'POST', uri: URI, body: BODY, timestamp: TS })).toBe(KNOWN);
  });

  it('accepts the known-answer vector at the ±5 minute boundaries and not 1 ms past them', () => {
    expect(verifyV3(base).ok).toBe(true);
    expect(verifyV3({ ...base, now: TS + 300_000 }).ok).toBe(true);
    expect(verifyV3({ ...base, now: TS - 300_000 }).ok).toBe(true);
    expect(verifyV3({ ...base, now: TS + 300_001 })).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(verifyV3({ ...base, now: TS - 300_001 })).toEqual({ ok: false, reason: 'future-timestamp' });
  });

  it('rejects a one-byte change of the body, method or URI', () => {
    expect(verifyV3({ ...base, rawBody: Buffer.from(BODY.replace('value', 'valuf')) })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyV3({ ...base, method: 'PUT' }).ok).toBe(false);
    expect(verifyV3({ ...base, uri: 'http://www.example.com/webhook_uri' }).ok).toBe(false);
    expect(verifyV3({ ...base, clientSecret: SECRET.replace('y', 'z') }).ok).toBe(false);
  });

  it('fails closed on missing, empty, repeated, malformed headers and a missing secret', () => {
    expect(verifyV3({ ...base, signature: undefined })).toEqual({ ok: false, reason: 'missing-signature' });
    expect(verifyV3({ ...base, signature: '' })).toEqual({ ok: false, reason: 'missing-signature' });
    expect(verifyV3({ ...base, signature: [KNOWN, KNOWN] })).toEqual({ ok: false, reason: 'missing-signature' });
    expect(verifyV3({ ...base, timestamp: undefined })).toEqual({ ok: false, reason: 'missing-timestamp' });
    expect(verifyV3({ ...base, timestamp: '1.7e12' })).toEqual({ ok: false, reason: 'bad-timestamp' });
    expect(verifyV3({ ...base, timestamp: '1700000000' })).toEqual({ ok: false, reason: 'bad-timestamp' });
    expect(verifyV3({ ...base, timestamp: '-1700000000000' })).toEqual({ ok: false, reason: 'bad-timestamp' });
    expect(verifyV3({ ...base, signature: 'short' })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyV3({ ...base, signature: '!!!not base64!!!' })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyV3({ ...base, clientSecret: undefined })).toEqual({ ok: false, reason: 'no-secret' });
    expect(verifyV3({ ...base, clientSecret: '' })).toEqual({ ok: false, reason: 'no-secret' });
  });

  it("decodes exactly HubSpot's closed set of percent-encodings before signing", () => {
    expect(decodeSignedUri('https://x.test/a?userEmail=a%40b.jp&p=%3A%2F%3F%21%24%27%28%29%2A%2C%3B&keep=%20%25')).toBe(
      "https://x.test/a?userEmail=a@b.jp&p=:/?!$'()*,;&keep=%20%25",
    );
    // A card URL with %40 verifies against a signature HubSpot computed over the decoded URL.
    const uri = 'https://tossup.example.com/api/v1/contacts/1?userId=1&portalId=2&userEmail=a%40b.jp&appId=3';
    const sig = createHmac('sha256', SECRET)
      .update('GET' + 'https://tossup.example.com/api/v1/contacts/1?userId=1&portalId=2&userEmail=a@b.jp&appId=3' + '' + TS)
      .digest('base64');
    expect(verifyV3({ ...base, method: 'GET', uri, rawBody: Buffer.alloc(0), signature: sig }).ok).toBe(true);
  });

  it('verifies byte-exact bodies only: re-serialised JSON fails', () => {
    const raw = '{"name":"\\u5c71\\u7530","emoji":"😀","sep":"\u2028", "b":1,"a":2}';
    const sig = signV3({ clientSecret: SECRET, method: 'POST', uri: URI, body: raw, timestamp: TS });
    expect(verifyV3({ ...base, rawBody: Buffer.from(raw), signature: sig }).ok).toBe(true);
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(verifyV3({ ...base, rawBody: Buffer.from(reserialised), signature: sig }).ok).toBe(false);
  });
});
