import express, { type Request, type Response, type Router } from 'express';
import { SandboxHttpError } from './hubspot-errors';
import { parseObjectType } from './object-types';
import type { Scenario } from './scenario';
import type { SandboxRuntime } from './sandbox-runtime';
import type { FaultOptions } from './faults';
import type { SandboxStats } from './stats';
import type { DeliveryAttempt, FlushResult } from './webhook-delivery';
import type { SeedSummary } from './seed-portal';
import type { AppHooks } from './app-hooks';
import type { CardFetchInput, CardFetchResponse } from './card-fetch';

/**
 * The sandbox's own admin API under /__sandbox (no auth: it only listens on localhost).
 * The CLI (cli.ts) and the benchmark use it; tests in-process can use the typed methods.
 */
export interface AdminHooks {
  scenario: Scenario;
  stats(): SandboxStats;
  resetStats(): void;
  /** Sends every pending webhook now (retries too, without waiting for their backoff) and awaits the answers. */
  flushWebhooks(): Promise<FlushResult>;
  pauseWebhooks(): void;
  resumeWebhooks(): void;
  webhookLog(): DeliveryAttempt[];
  createPortal(input: { name?: string; seed?: boolean }): { portalId: number; seed?: SeedSummary };
  seedSummary(portalId: number): SeedSummary | undefined;
  /** Calls the app's /api/v1… as hubspot.fetch does (signed, with userId/portalId/userEmail/appId): the CLI's toss-up, accept, reject and BANT. */
  cardFetch(input: CardFetchInput): Promise<CardFetchResponse>;
  /** Set in sandbox mode (sandbox-mode.ts): lets each admin action wait until the app has processed it. */
  app: AppHooks | undefined;
}

/** Scenario actions that change a Marketing Events participation (no webhook at HubSpot). */
const PARTICIPATION_ACTIONS = new Set(['setEventParticipation', 'registerForEvent', 'attendEvent']);

const SCENARIO_ACTIONS = [
  'submitForm',
  'openMarketingEmail',
  'setEventParticipation',
  'registerForEvent',
  'attendEvent',
  'logActivity',
  'associate',
  'setProperties',
  'setLeadStatus',
  'completeTask',
  'createContact',
  'createCompany',
  'deleteContact',
  'mergeContacts',
] as const;

export function createAdminRouter(rt: SandboxRuntime, hooks: AdminHooks): Router {
  const router = express.Router();
  router.use(express.json({ limit: '5mb' }));

  const handle = (fn: (req: Request) => unknown) => async (req: Request, res: Response) => {
    try {
      const out = await fn(req);
      res.status(200).json(out ?? { ok: true });
    } catch (err) {
      if (err instanceof SandboxHttpError) res.status(err.status).json(err.body);
      else res.status(400).json({ status: 'error', message: (err as Error).message });
    }
  };
  const portalParam = (req: Request) => rt.portal(String(req.params.portalId));

  router.get(
    '/info',
    handle(() => ({
      url: undefined,
      defaultPortalId: rt.defaultPortalId,
      appId: rt.appId,
      clientId: rt.clientId,
      now: rt.clock.now(),
      timeScale: rt.clock.timeScale,
      rateLimit: rt.rateLimitEnabled,
      portals: Object.values(rt.state.portals).map((p) => ({ portalId: p.portalId, name: p.name, contacts: Object.values(p.objects.contacts).filter((c) => !c.archived).length })),
    })),
  );
  router.get('/stats', handle(() => hooks.stats()));
  router.post('/stats/reset', handle(() => hooks.resetStats()));
  router.get('/clock', handle(() => ({ now: rt.clock.now(), iso: new Date(rt.clock.now()).toISOString(), timeScale: rt.clock.timeScale })));
  router.post(
    '/clock/advance',
    handle(async (req) => {
      const moved = hooks.scenario.advanceClock(Number((req.body as { ms?: unknown }).ms));
      return { ...moved, ...(hooks.app ? { app: await hooks.app.clockAdvanced() } : {}) };
    }),
  );
  router.get('/app', handle(() => ({ connected: hooks.app !== undefined })));
  router.post(
    '/app/settle',
    handle(async () => {
      if (!hooks.app) throw new Error('no app is connected to this sandbox (start it with `npm start` for sandbox mode)');
      return hooks.app.settle();
    }),
  );
  router.post(
    '/card-fetch',
    handle(async (req) => {
      const res = await hooks.cardFetch((req.body ?? {}) as CardFetchInput);
      return { status: res.status, json: res.json };
    }),
  );
  router.post('/webhooks/flush', handle(() => hooks.flushWebhooks()));
  router.post('/webhooks/pause', handle(() => hooks.pauseWebhooks()));
  router.post('/webhooks/resume', handle(() => hooks.resumeWebhooks()));
  router.get('/webhooks/log', handle(() => hooks.webhookLog().slice(-500)));
  router.get('/faults', handle(() => rt.faults.get()));
  router.post('/faults', handle((req) => rt.faults.set((req.body ?? {}) as FaultOptions)));
  router.post(
    '/rate-limit',
    handle((req) => {
      rt.rateLimitEnabled = Boolean((req.body as { enabled?: unknown }).enabled);
      return { rateLimit: rt.rateLimitEnabled };
    }),
  );
  router.post('/portals', handle((req) => hooks.createPortal((req.body ?? {}) as { name?: string; seed?: boolean })));
  // The portal's users as the CLI's `users` and the live preview's user picker show them.
  router.get(
    '/portals/:portalId/users',
    handle((req) => {
      const portal = portalParam(req);
      const teams = new Map(portal.teams.map((t) => [t.id, t.name]));
      const roles = new Map(portal.roles.map((r) => [r.id, r.name]));
      return portal.owners
        .filter((o) => !o.archived)
        .map((o) => ({ userId: o.userId, ownerId: o.id, name: `${o.lastName} ${o.firstName}`, email: o.email, team: teams.get(o.teamIds[0] ?? '') ?? '', role: o.roleIds.map((r) => roles.get(r) ?? r).join(', '), superAdmin: o.superAdmin }));
    }),
  );
  router.get('/portals/:portalId/seed', handle((req) => hooks.seedSummary(portalParam(req).portalId) ?? { seeded: false }));
  router.post(
    '/portals/:portalId/tokens',
    handle((req) => {
      const portal = portalParam(req);
      const user = portal.owners.find((o) => o.superAdmin && !o.archived) ?? portal.owners[0];
      const g = rt.oauth.issue(portal.portalId, [...rt.appScopes.required, ...rt.appScopes.optional], user?.userId ?? 0);
      rt.markDirty();
      return g;
    }),
  );
  // Degraded portals (scope-denial.ts): a scope the portal did not grant, a token HubSpot ends early.
  router.post(
    '/portals/:portalId/expire-token',
    handle((req) => {
      const expired = rt.oauth.expireAccessTokens(portalParam(req).portalId);
      rt.markDirty();
      return { expired };
    }),
  );
  router.get('/portals/:portalId/denied-scopes', handle((req) => ({ denied: rt.scopeDenials.list(portalParam(req).portalId) })));
  router.post(
    '/portals/:portalId/denied-scopes',
    handle((req) => {
      const { portalId } = portalParam(req);
      const scope = (req.body as { scope?: unknown }).scope;
      if (typeof scope !== 'string' || scope === '') throw new Error('body must be {"scope": "<scope to deny>"}');
      rt.scopeDenials.deny(portalId, scope);
      return { denied: rt.scopeDenials.list(portalId) };
    }),
  );
  router.delete(
    '/portals/:portalId/denied-scopes',
    handle((req) => {
      const { portalId } = portalParam(req);
      const scope = typeof req.query.scope === 'string' ? req.query.scope : undefined;
      rt.scopeDenials.allow(portalId, scope);
      return { denied: rt.scopeDenials.list(portalId) };
    }),
  );
  router.get(
    '/portals/:portalId/objects/:objectType',
    handle((req) => {
      const portal = portalParam(req);
      const type = parseObjectType(String(req.params.objectType));
      if (!type) throw new Error(`unknown object type ${String(req.params.objectType)}`);
      const limit = Number(req.query.limit ?? 100);
      return Object.values(portal.objects[type])
        .filter((o) => !o.archived)
        .slice(0, limit)
        .map((o) => ({ id: o.id, properties: o.properties }));
    }),
  );
  router.get(
    '/portals/:portalId/objects/:objectType/:objectId',
    handle((req) => {
      const portal = portalParam(req);
      const type = parseObjectType(String(req.params.objectType));
      if (!type) throw new Error(`unknown object type ${String(req.params.objectType)}`);
      const o = portal.objects[type][String(req.params.objectId)];
      if (!o) throw new Error(`${type} ${String(req.params.objectId)} not found`);
      const associations = Object.fromEntries(Object.entries(portal.associations[`${type}:${o.id}`] ?? {}).filter(([, l]) => l.length > 0));
      return { ...o, associations };
    }),
  );
  router.post(
    '/scenario/:action',
    handle((req) => {
      const action = SCENARIO_ACTIONS.find((a) => a === req.params.action);
      if (!action) throw new Error(`unknown scenario action ${String(req.params.action)}; one of ${SCENARIO_ACTIONS.join(', ')}`);
      const fn = hooks.scenario[action] as (input: unknown) => unknown;
      const body = (req.body ?? {}) as { portalId?: number; contactId?: string };
      const out = fn(body);
      if (hooks.app && PARTICIPATION_ACTIONS.has(action) && body.contactId) {
        return hooks.app.participationChanged(Number(body.portalId ?? rt.defaultPortalId), body.contactId).then((app) => ({ ...(out as object), app }));
      }
      return out;
    }),
  );
  return router;
}
