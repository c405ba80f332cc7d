import { Router } from 'express';
import type { BaseDeps } from '../platform/base-deps';
import type { Database } from '../storage/database';

export interface HealthRouterDeps extends Pick<BaseDeps, 'config' | 'logger' | 'metrics'> {
  db: Database;
}

/** GET /healthz (liveness), /readyz (database reachable), /metrics (Prometheus). */
export function createHealthRouter(ctx: HealthRouterDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', mode: ctx.config.mode });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await ctx.db.query('select 1');
      res.json({ status: 'ready', database: ctx.db.kind });
    } catch (err) {
      ctx.logger.warn({ err }, 'readiness check failed: database unreachable');
      res.status(503).json({ status: 'not_ready', database: ctx.db.kind, message: 'データベースに接続できません / database unreachable' });
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.set('content-type', ctx.metrics.registry.contentType);
    res.send(await ctx.metrics.registry.metrics());
  });
  return router;
}
