/**
 * Strangers are answered from the headers alone, before a body byte is read: a
 * declared Content-Length above the route's cap is a 413, and missing, malformed,
 * stale or future signature headers are a 401 (checkSignatureHeaders). Either answer
 * carries `Connection: close`, so Node closes the socket instead of draining the
 * unread body. Only the HMAC over the body needs the body, and only requests that
 * passed these checks get that far.
 *
 * A chunked request (no Content-Length) cannot be judged by size up front; its body
 * is read up to the cap (express.raw's limit, 413 beyond) and verified after, so its
 * cost stays bounded by the cap.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Clock } from './clock';
import type { Config } from './config';
import { checkSignatureHeaders, SIGNATURE_FAILURE_HINTS, type SignatureFailure } from './hubspot-signature';

export type EarlyRejection = { status: 413; reason: 'too_large'; message: string } | { status: 401; reason: SignatureFailure; message: string };

export interface RejectBeforeReadingOptions {
  config: Pick<Config, 'hubspot'>;
  clock: Clock;
  maxBodyBytes: number;
  /** Writes the route's own error body (status already set, Connection: close already set). */
  answer(req: Request, res: Response, rejection: EarlyRejection): void;
}

export function declaredLength(req: Request): number | undefined {
  const raw = req.headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

export function createRejectBeforeReading(options: RejectBeforeReadingOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const length = declaredLength(req);
    let rejection: EarlyRejection | undefined;
    if (length !== undefined && length > options.maxBodyBytes) {
      rejection = { status: 413, reason: 'too_large', message: `body exceeds ${options.maxBodyBytes} bytes` };
    } else if (length !== undefined || req.headers['transfer-encoding'] === undefined) {
      const check = checkSignatureHeaders({
        clientSecret: options.config.hubspot.clientSecret,
        signature: req.headers['x-hubspot-signature-v3'],
        timestamp: req.headers['x-hubspot-request-timestamp'],
        now: options.clock.now(),
      });
      if (!check.ok) rejection = { status: 401, reason: check.reason, message: SIGNATURE_FAILURE_HINTS[check.reason] };
    }
    if (!rejection) {
      next();
      return;
    }
    // Node ends the socket after this answer rather than reading the rest of the body.
    res.set('Connection', 'close');
    res.status(rejection.status);
    options.answer(req, res, rejection);
  };
}
