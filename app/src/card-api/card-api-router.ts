/**
 * The card and settings-page API (`/api/v1`, called by hubspot.fetch): the request
 * pipeline (request-pipeline.ts: verify → parse → idempotency → handler → error
 * mapping) with one file per resource mounted on it (./routes).
 */
import type { Router } from 'express';
import type { BaseDeps } from '../platform/base-deps';
import type { Database } from '../storage/database';
import { createIdempotencyStore, type IdempotencyStore } from '../storage/idempotency-store';
import { createCardApiCache, type CardApiCache } from './card-api-cache';
import type { CardApiDeps } from './card-api-deps';
import { createRequestPipeline } from './request-pipeline';
import { createRouteKit } from './route-kit';
import { acceptRejectRoutes } from './routes/accept-reject';
import { bantRoutes } from './routes/bant';
import { handoffRoutes } from './routes/handoff';
import { settingsRoutes } from './routes/settings';
import { settingsFormsRoutes } from './routes/settings-forms';
import { settingsImpactRunRoutes } from './routes/settings-impact-runs';
import { settingsTestContactRoutes } from './routes/settings-test-contact';
import { settingsVersionRoutes } from './routes/settings-versions';
import { timelineRoutes } from './routes/timeline';
import { outOfOfficeRoutes } from './routes/out-of-office';
import { routingRoutes } from './routes/routing';

export { PREVIEW_SAMPLE_SIZE } from './routes/settings';

/**
 * hubspot.fetch waits 15 s by default
 * (https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data);
 * answer well before that so the card gets our message rather than a platform timeout.
 */
export const CARD_API_DEADLINE_MS = 12_000;

export interface CardApiRouterOptions {
  deadlineMs?: number;
  cache?: CardApiCache;
  idempotency?: IdempotencyStore;
}

export interface CardApiRouterDeps extends BaseDeps {
  db: Database;
  /** The card API's services; absent only in a process without app credentials. */
  cardApi: CardApiDeps | undefined;
}

export function createCardApiRouter(ctx: CardApiRouterDeps, options: CardApiRouterOptions = {}): Router {
  const kit = createRouteKit(options.cache ?? createCardApiCache());
  const routes = [...handoffRoutes(kit), ...bantRoutes(kit), ...acceptRejectRoutes(kit), ...timelineRoutes(kit), ...settingsRoutes(kit), ...settingsVersionRoutes(kit), ...settingsTestContactRoutes(kit), ...settingsFormsRoutes(kit), ...settingsImpactRunRoutes(kit), ...outOfOfficeRoutes(kit), ...routingRoutes(kit)];
  return createRequestPipeline(ctx, routes, {
    idempotency: options.idempotency ?? createIdempotencyStore(ctx.db),
    deadlineMs: options.deadlineMs ?? CARD_API_DEADLINE_MS,
  });
}
