import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Database } from '../storage/database';
import { createHealthRouter, type HealthRouterDeps } from './health-router';
import { createOAuthRouter, type OAuthRouterDeps } from '../oauth/oauth-router';
import { createWebhookRouter, type WebhookRouterDeps } from '../webhooks/webhook-router';
import { createCardApiRouter, type CardApiRouterDeps } from '../card-api/card-api-router';

/**
 * The Express app. Order matters: routes that verify signatures read the raw
 * body themselves (express.raw on their own router), so no global body parser
 * is installed here.
 */
export interface ExtraMount {
  path: string;
  router: express.RequestHandler;
}

/** Everything the routers need, built by the composition root. */
export type AppDeps = HealthRouterDeps &
  OAuthRouterDeps &
  WebhookRouterDeps &
  CardApiRouterDeps & {
    /** The pool webhooks store through (create-backend.ts INGEST_POOL); default db. */
    ingestDb?: Database;
  };

export function createApp(ctx: AppDeps, extraMounts: ExtraMount[] = []): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a proxy the signed URL is rebuilt from PUBLIC_BASE_URL, never from Host.
  app.set('trust proxy', false);

  const ingestDb = ctx.ingestDb ?? ctx.db;
  // Readiness asks the pool webhooks use: a web process that cannot store events should leave the load balancer.
  app.use(createHealthRouter({ ...ctx, db: ingestDb }));
  // TOSSUP_ROLE=worker serves only the probes and /metrics.
  if (ctx.config.role !== 'worker') {
    app.use('/oauth', createOAuthRouter(ctx));
    app.use('/webhooks', createWebhookRouter({ ...ctx, db: ingestDb }));
    app.use('/api/v1', createCardApiRouter(ctx));
  }
  // Sandbox-only pages (the card preview) are mounted by the caller, before the 404.
  for (const m of extraMounts) app.use(m.path, m.router);

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not_found', message: 'ルートが見つかりません / No such route' });
  });
  // Express 5 forwards rejected promises here.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status >= 500) ctx.logger.error({ err, path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(status).json({
      error: status >= 500 ? 'internal_error' : 'bad_request',
      message: status >= 500 ? '内部エラーが発生しました / Internal error' : (err as Error).message,
    });
  });
  return app;
}
