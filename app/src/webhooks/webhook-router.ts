import { performance } from 'node:perf_hooks';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { BaseDeps } from '../platform/base-deps';
import type { Database } from '../storage/database';
import { SIGNATURE_FAILURE_HINTS, verifyV3 } from '../platform/hubspot-signature';
import { jsonNestsDeeperThan } from '../platform/json-depth';
import { createRejectBeforeReading } from '../platform/reject-before-reading';
import { createRateLimitedWarn } from '../platform/warning-summary';
import { storeWebhookEvents } from '../storage/inbox-store';
import { MAX_WEBHOOK_NESTING, webhookBatchSchema, type WebhookEvent } from '../domain/webhook-event';

/**
 * POST /webhooks/hubspot — verify, parse, store, answer; nothing else.
 *
 * HubSpot gives up on a request after 5 s and retries any non-2xx up to 10 times
 * over 24 h (https://developers.hubspot.com/docs/api/webhooks#retries), so this path
 * makes no HubSpot call and answers 2xx only once the batch is durably in
 * webhook_inbox. Our own storage failure is a 503 (HubSpot retries); 401 is kept for
 * authenticity failures only, because a 4xx is never retried and would lose events.
 */
export interface WebhookRouterOptions {
  /** Body cap (DEFAULT_MAX_WEBHOOK_BODY_BYTES). */
  maxBodyBytes?: number;
}

export interface WebhookRouterDeps extends BaseDeps {
  db: Database;
}

/**
 * HubSpot sends at most 100 events per request
 * (https://developers.hubspot.com/docs/api/webhooks#webhook-batching). A measured
 * event is 250–370 bytes (test/fixtures/webhooks: the largest, a 2-event batch, is
 * 731 bytes), so 100 bare events are ~37 KB; a propertyChange of the subscribed
 * text property tossup_handoff_reason carries its value, which can hold thousands
 * of Japanese characters (3 UTF-8 bytes each). 1 MiB admits 100 events averaging
 * 10 KiB of value — a ×28 margin over bare events — because a 413 is never retried
 * and would lose the batch. Strangers do not get to send it: a declared length
 * above the cap and bad signature headers are refused before reading
 * (app/src/platform/reject-before-reading.ts).
 */
export const DEFAULT_MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export function createWebhookRouter(ctx: WebhookRouterDeps, options: WebhookRouterOptions = {}): Router {
  const { metrics, logger } = ctx;
  const received = metrics.counter('tossup_webhook_events_received_total', 'Webhook events received in verified batches');
  const duplicates = metrics.counter('tossup_webhook_events_duplicate_total', 'Webhook events already in the inbox (redeliveries)');
  const ignored = metrics.counter('tossup_webhook_events_ignored_total', 'Webhook events not acted on', ['reason']);
  const rejected = metrics.counter('tossup_webhook_requests_rejected_total', 'Webhook requests refused, by reason', ['reason']);
  const ackSeconds = metrics.histogram('tossup_webhook_ack_seconds', 'Time from request to answer on POST /webhooks/hubspot', ['status'], [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
  ]);

  const router = Router();
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BODY_BYTES;

  const reject = (res: Response, status: number, reason: string, body: Record<string, unknown>) => {
    rejected.inc({ reason });
    res.status(status).json(body);
  };
  const warn = createRateLimitedWarn(ctx);
  const tooLargeBody = () => ({
    error: 'payload_too_large',
    message: `本文が上限 (${limit} バイト) を超えています / body exceeds the ${limit}-byte limit`,
  });
  const signatureBody = (reason: keyof typeof SIGNATURE_FAILURE_HINTS) => ({
    error: 'invalid_signature',
    reason,
    message: `署名を検証できません / ${SIGNATURE_FAILURE_HINTS[reason]}`,
  });
  const rejectBeforeReading = createRejectBeforeReading({
    config: ctx.config,
    clock: ctx.clock,
    maxBodyBytes: limit,
    answer: (_req, res, r) => {
      if (r.status === 401) warn(`webhook:${r.reason}`, { reason: r.reason }, `webhook signature rejected: ${r.message}`);
      reject(res, r.status, r.reason, r.status === 413 ? tooLargeBody() : signatureBody(r.reason));
    },
  });

  const timed = (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    res.on('finish', () => ackSeconds.observe({ status: String(res.statusCode) }, (performance.now() - started) / 1000));
    next();
  };

  const requireJson = (req: Request, res: Response, next: NextFunction) => {
    const type = req.headers['content-type'] ?? '';
    const [mediaType, ...params] = type.split(';').map((s) => s.trim().toLowerCase());
    const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
    if (mediaType !== 'application/json' || (charset !== undefined && charset !== 'utf-8')) {
      reject(res, 415, 'content_type', {
        error: 'unsupported_media_type',
        message: 'Content-Type は application/json (UTF-8) である必要があります / Content-Type must be application/json (UTF-8)',
      });
      return;
    }
    next();
  };

  router.post(
    '/hubspot',
    timed,
    requireJson,
    rejectBeforeReading,
    // Raw bytes on this route only: the signature covers the body exactly as sent.
    express.raw({ type: () => true, limit }),
    async (req: Request, res: Response) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const verified = verifyV3({
        clientSecret: ctx.config.hubspot.clientSecret,
        method: req.method,
        // The URL HubSpot signed is the public one; behind a proxy Host/scheme differ.
        uri: ctx.config.publicBaseUrl + req.originalUrl,
        rawBody,
        signature: req.headers['x-hubspot-signature-v3'],
        timestamp: req.headers['x-hubspot-request-timestamp'],
        now: ctx.clock.now(),
      });
      if (!verified.ok) {
        warn(`webhook:${verified.reason}`, { reason: verified.reason }, `webhook signature rejected: ${SIGNATURE_FAILURE_HINTS[verified.reason]}`);
        reject(res, 401, verified.reason, signatureBody(verified.reason));
        return;
      }

      // Counted on the bytes: a 5,000-deep body never reaches JSON.parse or a recursive walk.
      if (jsonNestsDeeperThan(rawBody, MAX_WEBHOOK_NESTING)) {
        reject(res, 400, 'invalid_events', {
          error: 'invalid_events',
          message: `Webhook イベントの入れ子が深すぎます / malformed webhook events: nested more than ${MAX_WEBHOOK_NESTING} levels deep`,
        });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(rawBody.toString('utf8'));
      } catch (err) {
        reject(res, 400, 'invalid_json', {
          error: 'invalid_json',
          message: `本文が JSON ではありません / body is not valid JSON: ${(err as Error).message}`,
        });
        return;
      }
      const parsed = webhookBatchSchema.safeParse(json);
      if (!parsed.success) {
        const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
        reject(res, 400, 'invalid_events', {
          error: 'invalid_events',
          message: `Webhook イベントの形式が正しくありません / malformed webhook events: ${issues.join('; ')}`,
        });
        return;
      }

      const appId = ctx.config.hubspot.appId;
      const mine: WebhookEvent[] = [];
      for (const e of parsed.data) {
        if (appId !== undefined && e.appId !== undefined && e.appId !== appId) ignored.inc({ reason: 'other_app' });
        else mine.push(e);
      }
      received.inc(parsed.data.length);

      try {
        const result = await storeWebhookEvents(ctx.db, mine, ctx.clock.now());
        duplicates.inc(result.duplicates);
        if (result.ignored > 0) ignored.inc({ reason: 'subscription_type' }, result.ignored);
        res.status(200).json({
          status: 'stored',
          received: parsed.data.length,
          stored: result.stored,
          ignored: result.ignored + (parsed.data.length - mine.length),
          duplicates: result.duplicates,
        });
      } catch (err) {
        logger.error({ err }, 'webhook batch could not be stored; answering 503 so HubSpot retries');
        reject(res, 503, 'storage', {
          error: 'storage_unavailable',
          message: '一時的に保存できません。HubSpot が再送します / temporarily unable to store events; HubSpot will retry',
        });
      }
    },
  );

  // Errors from express.raw: oversize (413), aborted or unreadable bodies.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (res.headersSent) return next(err);
    if (e.type === 'entity.too.large') {
      reject(res, 413, 'too_large', tooLargeBody());
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      reject(res, e.status, 'unreadable_body', { error: 'bad_request', message: '本文を読み取れません / could not read the request body' });
      return;
    }
    next(err);
  });

  return router;
}
