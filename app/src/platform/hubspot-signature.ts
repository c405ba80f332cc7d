import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HubSpot request signature v3, used for webhooks and for `hubspot.fetch` card
 * requests alike:
 *   base64(HMAC-SHA256(clientSecret, METHOD + URI + rawBody + timestamp))
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 *
 * Verify first, parse second: this works on the raw body bytes, compares in
 * constant time and fails closed (any doubt → not valid).
 */

/** HubSpot rejects requests older than 5 minutes; we also reject ones 5 minutes in the future (docs/product.md). */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

/**
 * HubSpot decodes exactly these percent-encodings in the URI before signing
 * (request-validation page, "Validate the v3 request signature").
 */
const DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function decodeSignedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

export function signV3(input: { clientSecret: string; method: string; uri: string; body: string | Buffer; timestamp: number | string }): string {
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const hmac = createHmac('sha256', input.clientSecret);
  hmac.update(input.method.toUpperCase() + decodeSignedUri(input.uri), 'utf8');
  hmac.update(body);
  hmac.update(String(input.timestamp), 'utf8');
  return hmac.digest('base64');
}

export type SignatureFailure =
  | 'missing-signature'
  | 'missing-timestamp'
  | 'bad-timestamp'
  | 'stale-timestamp'
  | 'future-timestamp'
  | 'bad-signature'
  | 'no-secret';

export type SignatureResult = { ok: true; timestamp: number } | { ok: false; reason: SignatureFailure };

export interface VerifyV3Input {
  clientSecret: string | undefined;
  method: string;
  /** The full public URL HubSpot called: scheme, host, path and query (from PUBLIC_BASE_URL, not req.host). */
  uri: string;
  rawBody: Buffer;
  signature: string | string[] | undefined;
  timestamp: string | string[] | undefined;
  now: number;
}

/** The single header value, or undefined when absent, empty or repeated. */
function single(h: string | string[] | undefined): string | undefined {
  if (Array.isArray(h)) return h.length === 1 ? h[0] : undefined;
  return h === undefined || h === '' ? undefined : h;
}

export type HeaderCheck = { ok: true; secret: string; signature: string; tsRaw: string } | { ok: false; reason: SignatureFailure };

/**
 * Everything that can be judged from the headers alone (secret configured, one
 * signature, one fresh 13-digit timestamp): run before the body is read, so a
 * stranger's request costs no body bytes (reject-before-reading.ts).
 */
export function checkSignatureHeaders(input: Pick<VerifyV3Input, 'clientSecret' | 'signature' | 'timestamp' | 'now'>): HeaderCheck {
  if (!input.clientSecret) return { ok: false, reason: 'no-secret' };
  const signature = single(input.signature);
  if (signature === undefined) return { ok: false, reason: 'missing-signature' };
  const tsRaw = single(input.timestamp);
  if (tsRaw === undefined) return { ok: false, reason: 'missing-timestamp' };
  // Milliseconds as a plain integer: no floats ("1.7e12"), no signs, no seconds.
  if (!/^\d{13}$/.test(tsRaw)) return { ok: false, reason: 'bad-timestamp' };
  const ts = Number(tsRaw);
  if (input.now - ts > MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'stale-timestamp' };
  if (ts - input.now > MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'future-timestamp' };
  return { ok: true, secret: input.clientSecret, signature, tsRaw };
}

export function verifyV3(input: VerifyV3Input): SignatureResult {
  const headers = checkSignatureHeaders(input);
  if (!headers.ok) return headers;
  const { secret, signature, tsRaw } = headers;
  const ts = Number(tsRaw);

  const expected = Buffer.from(
    signV3({ clientSecret: secret, method: input.method, uri: input.uri, body: input.rawBody, timestamp: tsRaw }),
    'utf8',
  );
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch is already a failure.
  if (given.length !== expected.length) return { ok: false, reason: 'bad-signature' };
  return timingSafeEqual(given, expected) ? { ok: true, timestamp: ts } : { ok: false, reason: 'bad-signature' };
}

/** Messages for logs and 401 bodies that say how to fix the likely cause. */
export const SIGNATURE_FAILURE_HINTS: Record<SignatureFailure, string> = {
  'missing-signature': 'X-HubSpot-Signature-v3 header is missing; only v3-signed requests are accepted',
  'missing-timestamp': 'X-HubSpot-Request-Timestamp header is missing',
  'bad-timestamp': 'X-HubSpot-Request-Timestamp must be epoch milliseconds (13 digits)',
  'stale-timestamp': 'request timestamp is more than 5 minutes old; check the server clock',
  'future-timestamp': 'request timestamp is more than 5 minutes in the future; check the server clock',
  'bad-signature':
    'signature mismatch: check that HUBSPOT_CLIENT_SECRET is the app secret and that PUBLIC_BASE_URL is the exact origin HubSpot calls (are you behind a proxy?)',
  'no-secret': 'no client secret configured: set HUBSPOT_CLIENT_SECRET (requests are refused until then)',
};
