/**
 * Verify first: every request under /api/v1 — known route or not — must carry a
 * valid v3 signature (hubspot.fetch signs it like a webhook) before anything is
 * parsed or routed. The verification itself (signature, one portalId/userId, appId)
 * is app/src/platform/verify-signed-request.ts, shared with POST /oauth/uninstall.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { BaseDeps } from '../platform/base-deps';
import { createRejectBeforeReading } from '../platform/reject-before-reading';
import { verifySignedRequest, type SignedIdentity } from '../platform/verify-signed-request';
import { createRateLimitedWarn } from '../platform/warning-summary';
import { ERRORS } from './api-errors';

export type { SignedIdentity };

/** hubspot.fetch caps request payloads at 1 MB (docs/hubspot-platform.md §2.1). */
export const MAX_CARD_REQUEST_BYTES = 1024 * 1024;

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

/** Raw bytes for every method and content type: the signature covers them exactly. */
export const rawBody: RequestHandler = express.raw({ type: () => true, limit: MAX_CARD_REQUEST_BYTES });

/** Before rawBody: oversize declared lengths (413) and bad signature headers (401) cost no body bytes. */
export function createRejectCardRequestBeforeReading(ctx: Pick<BaseDeps, 'config' | 'clock'>): RequestHandler {
  return createRejectBeforeReading({
    config: ctx.config,
    clock: ctx.clock,
    maxBodyBytes: MAX_CARD_REQUEST_BYTES,
    answer: (_req, res, r) => {
      res.json({ ok: false, error: r.status === 413 ? ERRORS.invalidRequest(`body exceeds ${MAX_CARD_REQUEST_BYTES} bytes (hubspot.fetch allows 1 MB)`) : ERRORS.unauthorized(r.reason) });
    },
  });
}

/**
 * Verifies with the app's client secret; in sandbox mode sandbox-mode.ts puts the
 * sandbox's secret there, so one path serves both (no secret → 401, fail closed).
 */
export function createVerifyCardRequest(ctx: Pick<BaseDeps, 'config' | 'clock' | 'logger'>): RequestHandler {
  const warn = createRateLimitedWarn(ctx);
  return (req: Request, res: Response, next: NextFunction) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const result = verifySignedRequest(ctx.config, ctx.clock.now(), {
      method: req.method,
      originalUrl: req.originalUrl,
      rawBody: body,
      headers: req.headers,
      query: req.query as Record<string, unknown>,
    });
    if (!result.ok) {
      warn(`card-api:${result.reason}`, { reason: result.reason, path: req.path }, `card API: ${result.message}`);
      res.status(401).json({ ok: false, error: ERRORS.unauthorized(result.reason === 'no-single-portal-or-user' || result.reason === 'other-app' ? result.message : result.reason) });
      return;
    }
    const verified: VerifiedLocals = { identity: result.identity, rawBody: body };
    res.locals.verified = verified;
    next();
  };
}
