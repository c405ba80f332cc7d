import { signV3 } from '../../src/platform/hubspot-signature';

/**
 * One webhook POST as HubSpot sends it: the raw JSON body, v3-signed over the app's
 * public URL (not the address it is actually sent to) with the sender's timestamp.
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */
export interface SignedBatch {
  /** Where the POST goes (one app instance). */
  target: string;
  /** The URL HubSpot signs: PUBLIC_BASE_URL + /webhooks/hubspot. */
  publicUrl: string;
  clientSecret: string;
  body: string;
  /** Sender clock, ms. */
  timestamp: number;
  signal?: AbortSignal;
}

export function postSignedBatch(batch: SignedBatch): Promise<Response> {
  return fetch(batch.target, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'X-HubSpot-Signature-v3': signV3({ clientSecret: batch.clientSecret, method: 'POST', uri: batch.publicUrl, body: batch.body, timestamp: batch.timestamp }),
      'X-HubSpot-Request-Timestamp': String(batch.timestamp),
    },
    body: batch.body,
    ...(batch.signal ? { signal: batch.signal } : {}),
  });
}
