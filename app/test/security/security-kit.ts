/**
 * Shared set-up of the security suite (issue 12): a production-mode backend on
 * 127.0.0.1 with a manual clock, and v3 signing of hubspot.fetch-style requests.
 */
import { signV3 } from '../../src/platform/hubspot-signature';

export const SECRET = 'security-suite-secret';
export const PUBLIC_BASE_URL = 'https://tossup.example.com';
export const API = 'https://api.hubapi.test';
export const T0 = Date.UTC(2026, 11, 1, 1, 0, 0);

export const PRODUCTION_ENV: Record<string, string> = {
  HUBSPOT_CLIENT_SECRET: SECRET,
  HUBSPOT_API_BASE_URL: API,
  PUBLIC_BASE_URL,
};

/** Headers of a request signed the way hubspot.fetch signs it. */
export function signedHeaders(method: string, pathAndQuery: string, body = '', timestamp = T0): Record<string, string> {
  return {
    'x-hubspot-signature-v3': signV3({ clientSecret: SECRET, method, uri: `${PUBLIC_BASE_URL}${pathAndQuery}`, body, timestamp }),
    'x-hubspot-request-timestamp': String(timestamp),
  };
}
