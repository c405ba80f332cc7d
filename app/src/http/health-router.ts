import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { BaseDeps } from '../platform/base-deps';
import type { Database } from '../storage/database';

export interface HealthRouterDeps extends Pick<BaseDeps, 'config' | 'logger' | 'metrics'> {
  db: Database;
}

/** Kubernetes' default probe timeout is 1 s; answer before it. */
export const READY_DEADLINE_MS = 800;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a late failure after the deadline is not unhandled
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Constant-time comparison of the bearer token (hashed first, so lengths never leak). */
function bearerMatches(header: string | undefined, expected: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  const digest = (v: string) => createHash('sha256').update(v, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length > 0;
}

/** GET /healthz (liveness), /readyz (database reachable), /metrics (Prometheus). */
export function createHealthRouter(ctx: HealthRouterDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', mode: ctx.config.mode });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      // The inbox table, not just `select 1`: a web process is ready when it can store
      // webhooks, and a lock on webhook_inbox (or a stalled server) must show here.
      // Answered within READY_DEADLINE_MS whatever the database does.
      await withDeadline(ctx.db.query('select 1 from webhook_inbox limit 1'), READY_DEADLINE_MS);
      res.json({ status: 'ready', database: ctx.db.kind });
    } catch (err) {
      ctx.logger.warn({ err }, 'readiness check failed: database unreachable');
      res.status(503).json({ status: 'not_ready', database: ctx.db.kind, message: 'データベースに接続できません / database unreachable' });
    }
  });
  router.get('/metrics', async (req, res) => {
    // Production: Authorization: Bearer METRICS_TOKEN, compared in constant time; no
    // token configured → 404, as if the route did not exist. Sandbox mode: open (it
    // binds 127.0.0.1 only).
    if (ctx.config.mode === 'production') {
      const expected = ctx.config.metricsToken;
      if (!expected) {
        res.status(404).json({ error: 'not_found', message: 'ルートが見つかりません / No such route' });
        return;
      }
      if (!bearerMatches(req.headers.authorization, expected)) {
        res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized', message: 'METRICS_TOKEN が必要です / Authorization: Bearer <METRICS_TOKEN> required' });
        return;
      }
    }
    res.set('content-type', ctx.metrics.registry.contentType);
    res.send(await ctx.metrics.registry.metrics());
  });
  return router;
}
