/**
 * The one path every card API request takes (`/api/v1`, called by hubspot.fetch):
 *
 *   raw body → v3 signature (401 before routing, unknown paths too) → route →
 *   parse (path ids, JSON, the route's zod schemas) → claim the idempotency key
 *   (mutations) → the route's handler (authorise, engine, applier) → answer, or map
 *   the error to the card's bilingual envelope.
 *
 * Statuses (docs/card-api-errors.md): every refusal a person can meet — not allowed,
 * gate blocked, wrong stage, conflict, invalid settings, key reused, not installed,
 * timeout — is HTTP 200 `{ ok: false, error }`, because HubSpot's proxy turns any app
 * status ≥ 300 into its own BAD_GATEWAY envelope. Error statuses remain only for a
 * signature failure (401: no 200 for a forged request), a malformed request or
 * unknown route (400/404/413: a bug or an outdated card, not a person's action) and a
 * fault (500, which HubSpot retries). The resources live in ./routes.
 */
import { createHash } from 'node:crypto';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { ApiError, ApiResult } from '@tossup/shared/card-dto';
import { isRequestMessageKey, type RequestMessageKey } from '@tossup/shared/request-messages';
import type { BaseDeps } from '../platform/base-deps';
import { InstallNotActiveError } from '../hubspot/token-service';
import type { IdempotencyStore } from '../storage/idempotency-store';
import { withoutNul } from '../domain/webhook-event';
import { ERRORS, fieldError } from './api-errors';
import type { CardApiDeps } from './card-api-deps';
import { isInt8Id } from '../platform/int8-id';
import { jsonNestsDeeperThan } from '../platform/json-depth';
import {
  createRejectCardRequestBeforeReading,
  createVerifyCardRequest,
  MAX_CARD_REQUEST_BYTES,
  rawBody,
  verifiedLocals,
  type SignedIdentity,
} from './verify-card-request';

export interface Answer {
  status: number;
  body: ApiResult<unknown>;
}

export const ok = <T,>(data: T): Answer => ({ status: 200, body: { ok: true, data } });
/** A refusal the card shows: 200 (docs/card-api-errors.md) unless a malformed request or a fault passes its status. */
export const fail = (error: ApiError, status = 200): Answer => ({ status, body: { ok: false, error } });

/** Thrown inside handlers to answer at once (not allowed, not found, malformed). */
export class AnswerNow extends Error {
  constructor(public readonly answer: Answer) {
    super(answer.body.ok ? 'answer' : answer.body.error.code);
  }
}

/** One request, verified and parsed, as its handler sees it. */
export interface Call<B = unknown, Q = unknown> {
  req: Request;
  identity: SignedIdentity;
  deps: CardApiDeps;
  /** The request's clock: for a retried mutation, the first attempt's. */
  now: number;
  body: B;
  query: Q;
}

export interface RouteDefinition<B = unknown, Q = unknown> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path under /api/v1; every `:param` must be a numeric HubSpot id. */
  path: string;
  /** The `route` label of tossup_card_api_requests_total. */
  name: string;
  /** The JSON body's schema (absent: the body is not read). */
  body?: z.ZodType<B>;
  /** The query's schema; HubSpot's own parameters (portalId, userId…) pass through it. */
  query?: z.ZodType<Q>;
  /**
   * A change: the body's idempotencyKey is claimed before the handler runs, so a
   * retry of the same request replays the first answer and never acts twice.
   */
  mutation?: B extends { idempotencyKey: string } ? true : never;
  handle(call: Call<B, Q>): Promise<Answer>;
}

/** A route with its types erased, as the pipeline mounts it. */
export type CardRoute = RouteDefinition<unknown, unknown>;

export function defineRoute<B = undefined, Q = undefined>(route: RouteDefinition<B, Q>): CardRoute {
  return route as unknown as CardRoute;
}

/** Card bodies are flat DTOs; far deeper nesting is refused before JSON.parse and any recursive walk. */
export const MAX_CARD_BODY_NESTING = 32;

/** A path id the pipeline has checked already: digits within PostgreSQL's bigint (ids are int8 columns). */
export function param(req: Request, name: string): string {
  const v = req.params[name];
  if (!isInt8Id(v)) throw new AnswerNow(fail(ERRORS.invalidRequest(`${name} must be a numeric HubSpot id (at most 9223372036854775807)`), 400));
  return v;
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    // Schemas whose checks name a REQUEST_MESSAGES key answer field by field in both languages.
    if (r.error.issues.every((i) => isRequestMessageKey(i.message))) {
      throw new AnswerNow(fail(ERRORS.invalidFields(r.error.issues.map((i) => fieldError(i.path.join('.'), i.message as RequestMessageKey))), 400));
    }
    const details = r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new AnswerNow(fail(ERRORS.invalidRequest(details), 400));
  }
  return r.data;
}

export interface RequestPipelineDeps extends BaseDeps {
  /** The card API's services; absent only in a process without app credentials. */
  cardApi: CardApiDeps | undefined;
}

export interface RequestPipelineOptions {
  idempotency: IdempotencyStore;
  deadlineMs: number;
}

export function createRequestPipeline(ctx: RequestPipelineDeps, routes: readonly CardRoute[], options: RequestPipelineOptions): Router {
  const { idempotency, deadlineMs } = options;
  const requests = ctx.metrics.counter('tossup_card_api_requests_total', 'Card API requests by route and outcome', ['route', 'outcome']);
  const router = Router();
  router.use(createRejectCardRequestBeforeReading(ctx));
  router.use(rawBody);
  router.use(createVerifyCardRequest(ctx));

  function handler(route: CardRoute): RequestHandler {
    return async (req: Request, res: Response) => {
      const { identity, rawBody: raw } = verifiedLocals(res);
      const send = (a: Answer, outcome: string) => {
        requests.inc({ route: route.name, outcome });
        if (!res.headersSent) res.status(a.status).json(a.body);
      };
      let json: unknown = {};
      if (raw.length > 0) {
        if (jsonNestsDeeperThan(raw, MAX_CARD_BODY_NESTING)) {
          send(fail(ERRORS.invalidRequest(`body nests more than ${MAX_CARD_BODY_NESTING} levels deep`), 400), 'bad_request');
          return;
        }
        try {
          // Well-formed text from here on: a NUL or a lone surrogate (valid JSON escapes)
          // would otherwise reach jsonb (the stored answer) and fail after the write was made.
          json = withoutNul(JSON.parse(raw.toString('utf8')));
        } catch {
          send(fail(ERRORS.invalidRequest('body is not JSON'), 400), 'bad_request');
          return;
        }
      }
      const deps = ctx.cardApi;
      if (!deps) throw new Error('tossup: the card API is not wired in this process (no app credentials)');
      let now = ctx.clock.now();
      let key: string | undefined;
      let call: Call;
      try {
        // Path ids first: a malformed URL must not claim (and burn) the idempotency key.
        for (const name of Object.keys(req.params)) param(req, name);
        const body = route.body ? parseWith(route.body, json) : json;
        const query = route.query ? parseWith(route.query, req.query) : undefined;
        if (route.mutation) {
          key = (body as { idempotencyKey: string }).idempotencyKey;
          const hash = createHash('sha256')
            .update(`${req.method} ${req.baseUrl}${req.path} ${identity.userId}\n`)
            .update(raw)
            .digest('hex');
          const claim = await idempotency.claim(identity.portalId, key, hash, now);
          if (claim.kind === 'replay') return send({ status: claim.statusCode, body: claim.response as ApiResult<unknown> }, 'replayed');
          if (claim.kind === 'in_progress') return send(fail(ERRORS.inProgress()), 'in_progress');
          if (claim.kind === 'mismatch') return send(fail(ERRORS.keyReused()), 'key_reused');
          now = claim.clockAt;
        }
        call = { req, identity, deps, now, body, query };
      } catch (err) {
        if (err instanceof AnswerNow) return send(err.answer, 'rejected');
        throw err;
      }

      const work = (async (): Promise<Answer> => {
        let answer: Answer;
        try {
          answer = await route.handle(call);
        } catch (err) {
          if (!(err instanceof AnswerNow)) {
            if (key) await idempotency.release(identity.portalId, key).catch(() => undefined);
            throw err;
          }
          answer = err.answer;
        }
        // Stored for replay: a retry of this very request gets this very answer.
        if (key) await idempotency.complete(identity.portalId, key, answer.status, answer.body, ctx.clock.now());
        return answer;
      })();

      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), deadlineMs);
      });
      try {
        const result = await Promise.race([work, timedOut]);
        if (result === 'timeout') {
          // The work goes on (a mutation still completes its idempotency record); only the answer is cut short.
          work.catch((err: unknown) => ctx.logger.error({ err, route: route.name }, 'card API: work failed after the deadline answer'));
          return send(fail(ERRORS.timeout()), 'timeout');
        }
        send(result, result.body.ok ? 'ok' : result.body.error.code);
      } catch (err) {
        if (err instanceof InstallNotActiveError) {
          // Not a server fault: the portal has to reinstall; say so instead of a generic 500.
          send(fail(ERRORS.notInstalled()), 'not_installed');
          return;
        }
        ctx.logger.error({ err, route: route.name, portalId: identity.portalId }, 'card API request failed');
        send(fail(ERRORS.internal(), 500), 'error');
      } finally {
        clearTimeout(timer);
      }
    };
  }

  for (const route of routes) router[route.method](route.path, handler(route));

  // Verified but unknown: still our bilingual envelope, never Express's default page.
  router.use((_req, res) => {
    requests.inc({ route: 'unknown', outcome: 'not_found' });
    res.status(404).json({ ok: false, error: ERRORS.unknownRoute() });
  });

  // Body-reader errors (over the 1 MB cap, aborted or undecodable bodies) and malformed
  // URL escapes: the card's envelope too, so it can show the message.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; status?: number };
    if (res.headersSent || typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return next(err);
    const tooLarge = e.type === 'entity.too.large';
    requests.inc({ route: 'unreadable', outcome: tooLarge ? 'too_large' : 'bad_request' });
    res
      .status(tooLarge ? 413 : 400)
      .json({ ok: false, error: ERRORS.invalidRequest(tooLarge ? `body exceeds ${MAX_CARD_REQUEST_BYTES} bytes (hubspot.fetch allows 1 MB)` : 'the request body or URL could not be read') });
  });

  return router;
}
