/**
 * Verify first: every request under /api/v1 — known route or not — must carry a
 * valid v3 signature (hubspot.fetch signs it like a webhook) before anything is
 * parsed or routed. Portal and user come only from the signed URL's query
 * (`portalId`, `userId`, `userEmail` and possibly `appId`, appended by HubSpot:
 * https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data),
 * never from the body or a header.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { BaseDeps } from '../platform/base-deps';
import { SIGNATURE_FAILURE_HINTS, verifyV3 } from '../platform/hubspot-signature';
import { ERRORS } from './api-errors';

/** hubspot.fetch caps request payloads at 1 MB (docs/hubspot-platform.md §2.1). */
export const MAX_CARD_REQUEST_BYTES = 1024 * 1024;

export interface SignedIdentity {
  portalId: string;
  userId: string;
  userEmail: string | null;
  appId: string | null;
}

export interface VerifiedLocals {
  identity: SignedIdentity;
  rawBody: Buffer;
}

export function verifiedLocals(res: Response): VerifiedLocals {
  const v = res.locals.verified as VerifiedLocals | undefined;
  // Routes are only reachable after the middleware; reaching here without it is a wiring bug.
  if (!v) throw new Error('tossup: card API route reached without signature verification');
  return v;
}

function single(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Raw bytes for every method and content type: the signature covers them exactly. */
export const rawBody: RequestHandler = express.raw({ type: () => true, limit: MAX_CARD_REQUEST_BYTES });

/**
 * Verifies with the app's client secret; in sandbox mode sandbox-mode.ts puts the
 * sandbox's secret there, so one path serves both (no secret → 401, fail closed).
 */
export function createVerifyCardRequest(ctx: Pick<BaseDeps, 'config' | 'clock' | 'logger'>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const secret = ctx.config.hubspot.clientSecret;
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const result = verifyV3({
      clientSecret: secret,
      method: req.method,
      // Rebuilt from PUBLIC_BASE_URL: behind a proxy the Host header is not what HubSpot signed.
      uri: ctx.config.publicBaseUrl + req.originalUrl,
      rawBody: body,
      signature: req.headers['x-hubspot-signature-v3'],
      timestamp: req.headers['x-hubspot-request-timestamp'],
      now: ctx.clock.now(),
    });
    if (!result.ok) {
      ctx.logger.warn({ reason: result.reason, path: req.path }, `card API: ${SIGNATURE_FAILURE_HINTS[result.reason]}`);
      res.status(401).json({ ok: false, error: ERRORS.unauthorized(result.reason) });
      return;
    }
    // Repeated parameters would make "which portal?" ambiguous: fail closed.
    const portalId = single(req.query.portalId);
    const userId = single(req.query.userId);
    if (!portalId || !/^\d{1,20}$/.test(portalId) || !userId || !/^\d{1,20}$/.test(userId)) {
      res.status(401).json({ ok: false, error: ERRORS.unauthorized('signed URL has no single portalId/userId') });
      return;
    }
    // HubSpot's ProxyMetadata type lists only userEmail, userId and portalId, so appId may
    // be absent; the signature already proves the request is for this app's secret. A
    // present appId that names another app is still refused.
    const appId = single(req.query.appId) ?? null;
    const otherApp = appId === null ? req.query.appId !== undefined : appId !== ctx.config.hubspot.appId;
    if (ctx.config.hubspot.appId && otherApp) {
      res.status(401).json({ ok: false, error: ERRORS.unauthorized('request is for another app') });
      return;
    }
    const verified: VerifiedLocals = {
      identity: { portalId, userId, userEmail: single(req.query.userEmail) ?? null, appId },
      rawBody: body,
    };
    res.locals.verified = verified;
    next();
  };
}
