/**
 * The one verification of a v3-signed hubspot.fetch request, shared by the card API
 * (app/src/card-api/verify-card-request.ts) and the uninstall route
 * (app/src/oauth/oauth-router.ts): the signature over method + public URL + raw body
 * + timestamp, then exactly one portalId and one userId in the signed query (int8
 * ids), and the appId when both the request and the configuration carry one.
 * Portal and user come only from the signed URL HubSpot appends them to
 * (https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data),
 * never from the body or a header.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from './config';
import { SIGNATURE_FAILURE_HINTS, verifyV3, type SignatureFailure } from './hubspot-signature';
import { isInt8Id } from './int8-id';

export interface SignedIdentity {
  portalId: string;
  userId: string;
  userEmail: string | null;
  appId: string | null;
}

export type IdentityFailure = 'no-single-portal-or-user' | 'other-app';

export type SignedRequestResult =
  | { ok: true; identity: SignedIdentity }
  | { ok: false; reason: SignatureFailure | IdentityFailure; message: string };

export interface SignedRequestInput {
  method: string;
  /** req.originalUrl: path and query as received (the signed URL is PUBLIC_BASE_URL + this). */
  originalUrl: string;
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  /** The parsed query (req.query): repeated parameters arrive as arrays and are refused. */
  query: Record<string, unknown>;
}

export const IDENTITY_FAILURE_MESSAGES: Record<IdentityFailure, string> = {
  'no-single-portal-or-user': 'signed URL has no single portalId/userId',
  'other-app': 'request is for another app',
};

function single(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function verifySignedRequest(config: Config, now: number, input: SignedRequestInput): SignedRequestResult {
  const check = verifyV3({
    clientSecret: config.hubspot.clientSecret,
    method: input.method,
    // Rebuilt from PUBLIC_BASE_URL: behind a proxy the Host header is not what HubSpot signed.
    uri: config.publicBaseUrl + input.originalUrl,
    rawBody: input.rawBody,
    signature: input.headers['x-hubspot-signature-v3'],
    timestamp: input.headers['x-hubspot-request-timestamp'],
    now,
  });
  if (!check.ok) return { ok: false, reason: check.reason, message: SIGNATURE_FAILURE_HINTS[check.reason] };
  // Repeated parameters would make "which portal?" ambiguous: fail closed.
  const portalId = single(input.query.portalId);
  const userId = single(input.query.userId);
  if (!isInt8Id(portalId) || !isInt8Id(userId)) {
    return { ok: false, reason: 'no-single-portal-or-user', message: IDENTITY_FAILURE_MESSAGES['no-single-portal-or-user'] };
  }
  // HubSpot's ProxyMetadata type lists only userEmail, userId and portalId, so appId may
  // be absent; the signature already proves the request is for this app's secret. A
  // present appId that names another app is still refused.
  const appId = single(input.query.appId) ?? null;
  const otherApp = appId === null ? input.query.appId !== undefined : appId !== config.hubspot.appId;
  if (config.hubspot.appId && otherApp) return { ok: false, reason: 'other-app', message: IDENTITY_FAILURE_MESSAGES['other-app'] };
  return { ok: true, identity: { portalId, userId, userEmail: single(input.query.userEmail) ?? null, appId } };
}
