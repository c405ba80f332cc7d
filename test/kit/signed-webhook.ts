import { signV3 } from '../../app/src/platform/hubspot-signature';

/**
 * Requests signed the way HubSpot signs them (v3: webhooks and hubspot.fetch alike),
 * for tests that play HubSpot against the backend. The signature itself is the
 * product's own signV3; what lives here is the request around it.
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */
export type RequestBody = string | Uint8Array;

export interface SignInput {
  clientSecret: string;
  /** The public URL HubSpot signs (PUBLIC_BASE_URL + path and query), not where the request is sent. */
  uri: string;
  /** Sender clock: ms since the epoch (a string to send malformed ones). */
  timestamp: number | string;
  /** Default POST. */
  method?: string;
}

const raw = (body: RequestBody): string | Buffer => (typeof body === 'string' ? body : Buffer.from(body));

/** The two signature headers alone (X-HubSpot-Signature-v3, X-HubSpot-Request-Timestamp). */
export function signatureHeaders(body: RequestBody, input: SignInput): Record<string, string> {
  return {
    'x-hubspot-signature-v3': signV3({ clientSecret: input.clientSecret, method: input.method ?? 'POST', uri: input.uri, body: raw(body), timestamp: input.timestamp }),
    'x-hubspot-request-timestamp': String(input.timestamp),
  };
}

/** What HubSpot's webhook sender puts on a batch: JSON content type and the v3 signature. */
export function signedWebhookHeaders(body: RequestBody, input: SignInput): Record<string, string> {
  return { 'content-type': 'application/json', ...signatureHeaders(body, input) };
}

export interface Answer {
  status: number;
  text: string;
  /** The parsed body; undefined when it is empty or not JSON. */
  json: Record<string, unknown> | undefined;
}

/** POSTs a webhook batch (the raw bytes as given) with these headers and reads the answer. */
export async function postWebhookBatch(url: string, body: RequestBody, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** Signs and POSTs a batch like HubSpot: `url` is where it goes, `sign.uri` what is signed. */
export function postSignedWebhook(url: string, body: RequestBody, sign: SignInput): Promise<Answer> {
  return postWebhookBatch(url, body, signedWebhookHeaders(body, sign));
}
