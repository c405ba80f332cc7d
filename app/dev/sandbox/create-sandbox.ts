import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Clock } from '../../src/platform/clock';
import { createAdminRouter, type AdminHooks } from './admin-routes';
import type { AppHooks } from './app-hooks';
import { createApiRouteDefiner } from './api-route';
import { registerAssociationRoutes } from './association-routes';
import { createCardFetch } from './card-fetch';
import { registerCrmObjectRoutes } from './crm-object-routes';
import { createCrmStore, type WriteSource } from './crm-store';
import { registerDirectoryRoutes } from './directory-routes';
import { createFaultInjector, type FaultOptions } from './faults';
import { installAppOverHttp, type InstallOptions, type InstallResult } from './install-app';
import { createOAuthService, type TokenGrant } from './oauth-service';
import { createOAuthRouter } from './oauth-routes';
import { createEmptyPortal, type PortalState } from './portal-state';
import { createPrng } from './prng';
import { registerPropertyRoutes } from './property-routes';
import { SEARCH_PER_SECOND_MAX, SEARCH_WINDOW_MS, TEN_SECONDLY_MAX, TEN_SECONDLY_WINDOW_MS, createRollingWindow } from './rate-limiter';
import { createSandboxClock, type SandboxClock } from './sandbox-clock';
import type { SandboxRuntime, SandboxState } from './sandbox-runtime';
import { createScenario } from './scenario';
import { seedPortal, type SeedSummary } from './seed-portal';
import { createStatsRecorder } from './stats';
import { createWebhookDelivery, type WebhookDeliveryOptions } from './webhook-delivery';
import { eventsForChange, loadSubscriptions, type Subscription } from './webhook-subscriptions';
import { createScopeDenials } from './scope-denial';

/**
 * A local stand-in for the part of HubSpot tossup touches: OAuth, CRM objects,
 * associations, properties, owners, users, marketing events, webhooks and card
 * requests. The real @hubspot/api-client talks to it unchanged with
 * `new Client({ accessToken, basePath: sandbox.url })`.
 *
 * What it does NOT emulate is listed in app/dev/sandbox/README.md.
 */
export interface SandboxOptions {
  /** 0 = an ephemeral port (default). */
  port?: number;
  host?: string;
  /** Where webhook batches are POSTed, e.g. http://127.0.0.1:3000/webhooks/hubspot. */
  appWebhookUrl?: string;
  /** The app's public origin (PUBLIC_BASE_URL): webhook and card signatures cover URLs on it; `${it}/oauth/callback` is an allowed redirect. */
  appPublicBaseUrl?: string;
  /** Where card requests are sent; default: the origin of appWebhookUrl. */
  appBaseUrl?: string;
  /** Extra allowed OAuth redirect URIs (the app-hsmeta redirectUrls are always allowed). */
  redirectUris?: string[];
  /** 10 → the sandbox clock runs 10× faster, the 10 s window lasts 1 s, retry backoffs and latencies shrink 10×. Ignored for the clock when `clock` is given. */
  timeScale?: number;
  faults?: FaultOptions;
  /** Enforce the 110/10 s and 5/s search limits (default true). */
  rateLimit?: boolean;
  /** Answer 403 MISSING_SCOPES when the token lacks the endpoint's scope (default true). */
  enforceScopes?: boolean;
  /** Seed the default portal with the Japanese enterprise data (default true). */
  seed?: boolean;
  /** PRNG seed of the seed data and of webhook shuffling/duplicates. */
  seedNumber?: number;
  /** The clock shared with the app in sandbox mode. */
  clock?: Clock;
  /** Save portals and tokens as JSON here and load them at start (so `npm start` keeps data). */
  persistFile?: string;
  portalId?: number;
  appId?: number;
  clientId?: string;
  clientSecret?: string;
  webhooks?: Omit<WebhookDeliveryOptions, 'url' | 'publicUrl' | 'maxConcurrentRequests'> & { maxConcurrentRequests?: number };
  webhooksHsmetaFile?: string;
  appHsmetaFile?: string;
}

/** The members the admin routes use too are declared once, on AdminHooks. */
export interface Sandbox extends Pick<AdminHooks, 'scenario' | 'stats' | 'resetStats' | 'flushWebhooks' | 'pauseWebhooks' | 'resumeWebhooks' | 'webhookLog' | 'cardFetch'> {
  /** Base URL of the emulated API, e.g. http://127.0.0.1:41234 (use as basePath and HUBSPOT_API_BASE_URL). */
  url: string;
  clientId: string;
  clientSecret: string;
  appId: number;
  /** The default (seeded) portal. */
  portalId: number;
  clock: SandboxClock;
  /** Ids of the seeded teams, owners, companies, contacts, forms, … of the default portal. */
  seed: SeedSummary | undefined;
  subscriptions: Subscription[];
  /** Runs the OAuth install like a browser, starting at the app's /oauth/install. */
  installApp(appInstallUrl: string, opts?: InstallOptions): Promise<InstallResult>;
  /** Sandbox mode: the app next to the sandbox, so admin actions wait until it has processed them (app-hooks.ts). */
  connectApp(app: AppHooks): void;
  /** Sets the app's URLs after start (when the app listens on an ephemeral port). */
  configureApp(input: { webhookUrl?: string; publicBaseUrl?: string; baseUrl?: string }): void;
  createPortal(input?: { name?: string; seed?: boolean }): { portalId: number; seed?: SeedSummary };
  /** Tokens for a portal as if the app had been installed there (tests, benchmark). */
  issueTokens(portalId?: number): TokenGrant;
  setFaults(faults: FaultOptions): void;
  setRateLimit(enabled: boolean): void;
  /** Direct read access to a portal's state (tests' assertions). */
  portal(portalId?: number): PortalState;
  close(): Promise<void>;
}

const DEFAULTS = {
  portalId: 24681357,
  appId: 3141592,
  // Fixed, non-secret credentials of the local sandbox app (never valid at HubSpot).
  clientId: '6b2c9a7e-5d1f-4c3b-9a8e-7055a5b0c0de',
  clientSecret: 'sandbox-secret-9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
  seedNumber: 20260301,
};

const PROJECT_APP_DIR = fileURLToPath(new URL('../../../src/app/', import.meta.url));

function readAppHsmeta(file: string): { required: string[]; optional: string[]; redirectUrls: string[] } {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as { config?: { auth?: { requiredScopes?: string[]; optionalScopes?: string[]; redirectUrls?: string[] } } };
    const auth = j.config?.auth ?? {};
    return { required: auth.requiredScopes ?? [], optional: auth.optionalScopes ?? [], redirectUrls: auth.redirectUrls ?? [] };
  } catch (err) {
    throw new Error(`sandbox: cannot read the app's scopes from ${file} (${(err as Error).message}); pass options.appHsmetaFile or fix the file`);
  }
}

function loadState(file: string | undefined): SandboxState | undefined {
  if (!file || !existsSync(file)) return undefined;
  let parsed: SandboxState & { nextEventId?: number; seeds?: Record<string, SeedSummary> };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`sandbox: ${file} is not valid JSON (${(err as Error).message}); delete it to start from fresh seed data`);
  }
  if (parsed.version !== 1) throw new Error(`sandbox: ${file} has state version ${String(parsed.version)}, expected 1; delete it to start from fresh seed data`);
  return parsed;
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = createSandboxClock({ clock: options.clock, timeScale: options.timeScale });
  const appHsmeta = readAppHsmeta(options.appHsmetaFile ?? `${PROJECT_APP_DIR}app-hsmeta.json`);
  const { subscriptions, settings } = loadSubscriptions(options.webhooksHsmetaFile ?? `${PROJECT_APP_DIR}webhooks/webhooks-hsmeta.json`);
  const appId = options.appId ?? DEFAULTS.appId;
  const clientId = options.clientId ?? DEFAULTS.clientId;
  const clientSecret = options.clientSecret ?? DEFAULTS.clientSecret;
  const seedNumber = options.seedNumber ?? DEFAULTS.seedNumber;

  const loaded = loadState(options.persistFile);
  const state: SandboxState & { nextEventId: number; seeds: Record<string, SeedSummary> } = {
    version: 1,
    nextId: 1001,
    portals: {},
    oauth: { accessTokens: {}, refreshTokens: {} },
    nextEventId: 100_000_001,
    seeds: {},
    ...loaded,
  };
  const defaultPortalId = loaded ? Number(Object.keys(loaded.portals)[0] ?? options.portalId ?? DEFAULTS.portalId) : (options.portalId ?? DEFAULTS.portalId);

  const ids = { next: () => state.nextId++ };
  const store = createCrmStore({ clock, ids });
  const stats = createStatsRecorder();
  const integrationSource: WriteSource = { changeSource: 'INTEGRATION', sourceId: String(appId), historySourceType: 'INTEGRATION', historySourceId: String(appId) };

  let appWebhookUrl = options.appWebhookUrl;
  let appPublicBaseUrl = options.appPublicBaseUrl?.replace(/\/+$/, '');
  let appBaseUrl = options.appBaseUrl ?? (appWebhookUrl ? new URL(appWebhookUrl).origin : undefined);
  const redirectUris = new Set([...appHsmeta.redirectUrls, ...(options.redirectUris ?? [])]);
  if (appPublicBaseUrl) redirectUris.add(`${appPublicBaseUrl}/oauth/callback`);
  const publicWebhookUrl = () => {
    if (!appWebhookUrl) return undefined;
    if (!appPublicBaseUrl) return appWebhookUrl;
    const u = new URL(appWebhookUrl);
    return `${appPublicBaseUrl}${u.pathname}${u.search}`;
  };

  let saveTimer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  const save = async () => {
    if (!options.persistFile) return;
    const file = options.persistFile;
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(state));
    await rename(tmp, file);
  };
  const markDirty = () => {
    if (!options.persistFile || saveTimer) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      saving = saving.then(save, save);
    }, 250);
    saveTimer.unref();
  };

  const rt: SandboxRuntime = {
    clock,
    state,
    store,
    oauth: createOAuthService(clock, state.oauth),
    stats,
    faults: createFaultInjector(options.faults),
    tenSecondly: createRollingWindow(clock, TEN_SECONDLY_MAX, TEN_SECONDLY_WINDOW_MS),
    searchSecondly: createRollingWindow(clock, SEARCH_PER_SECOND_MAX, SEARCH_WINDOW_MS),
    rateLimitEnabled: options.rateLimit ?? true,
    enforceScopes: options.enforceScopes ?? true,
    scopeDenials: createScopeDenials(),
    appId,
    clientId,
    clientSecret,
    appScopes: { required: appHsmeta.required, optional: appHsmeta.optional },
    get redirectUris() {
      return [...redirectUris];
    },
    defaultPortalId,
    integrationSource,
    portal: (portalId) => {
      const p = state.portals[String(portalId)];
      if (!p) throw new Error(`sandbox: portal ${String(portalId)} does not exist; create it with sandbox.createPortal() or POST /__sandbox/portals`);
      return p;
    },
    markDirty,
  };

  const delivery = createWebhookDelivery({
    clock,
    clientSecret,
    stats,
    prng: createPrng(seedNumber + 1),
    options: { ...options.webhooks, maxConcurrentRequests: options.webhooks?.maxConcurrentRequests ?? settings.maxConcurrentRequests, ...(appWebhookUrl ? { url: appWebhookUrl, publicUrl: publicWebhookUrl() } : {}) },
  });
  let muted = false;
  store.onChange((change) => {
    if (muted) return;
    delivery.enqueue(eventsForChange(change, subscriptions, { appId, nextEventId: () => state.nextEventId++ }));
  });

  const createPortal = (input: { name?: string; seed?: boolean; portalId?: number } = {}) => {
    const existing = Object.keys(state.portals).map(Number);
    const portalId = input.portalId ?? (existing.length > 0 ? Math.max(...existing) + 1 : defaultPortalId);
    const portal = createEmptyPortal(portalId, input.name ?? `サンドボックス株式会社 #${existing.length + 1}`, clock.now());
    state.portals[String(portalId)] = portal;
    let seed: SeedSummary | undefined;
    if (input.seed) {
      muted = true;
      try {
        seed = seedPortal(portal, store, { seed: seedNumber, now: clock.now(), appId, nextNumericId: ids.next });
      } finally {
        muted = false;
      }
      state.seeds[String(portalId)] = seed;
    }
    markDirty();
    return { portalId, ...(seed ? { seed } : {}) };
  };

  if (!loaded) createPortal({ portalId: defaultPortalId, name: '株式会社サンプル商事（サンドボックス）', seed: options.seed ?? true });

  const scenario = createScenario(rt);

  // HTTP
  const app = express();
  app.disable('x-powered-by');
  const flushWebhooks = () => delivery.flush();
  const hooks: AdminHooks = {
    scenario,
    app: undefined,
    // Called per request, after cardFetch below exists.
    cardFetch: (input) => cardFetch(input),
    stats: () => stats.snapshot(delivery.pending()),
    resetStats: () => stats.reset(),
    flushWebhooks,
    pauseWebhooks: () => delivery.pause(),
    resumeWebhooks: () => delivery.resume(),
    webhookLog: () => delivery.log(),
    createPortal: (input: { name?: string; seed?: boolean }) => createPortal(input),
    seedSummary: (portalId: number) => state.seeds[String(portalId)],
  };
  app.use('/__sandbox', createAdminRouter(rt, hooks));
  app.use(createOAuthRouter(rt));
  const api = express.Router();
  api.use(express.json({ limit: '10mb', type: () => true }));
  const define = createApiRouteDefiner(rt, api);
  registerCrmObjectRoutes(rt, define);
  registerAssociationRoutes(rt, define);
  registerPropertyRoutes(rt, define);
  registerDirectoryRoutes(rt, define);
  app.use(api);
  app.use((req: Request, res: Response) => {
    res.status(404).json({
      status: 'error',
      message: `${req.method} ${req.path} is not emulated by the tossup sandbox (see app/dev/sandbox/README.md for the emulated endpoints).`,
      correlationId: randomUUID(),
      category: 'OBJECT_NOT_FOUND',
    });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; message?: string; status?: number };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ status: 'error', message: `Invalid input JSON: ${e.message ?? ''}`, correlationId: randomUUID(), category: 'VALIDATION_ERROR' });
      return;
    }
    res.status(e.status ?? 500).json({ status: 'error', message: e.message ?? 'sandbox error', correlationId: randomUUID(), category: 'INTERNAL_ERROR' });
  });

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  const cardFetch = createCardFetch({
    appBaseUrl: () => appBaseUrl,
    appPublicBaseUrl: () => appPublicBaseUrl,
    clientSecret,
    appId,
    defaultPortalId,
    now: () => clock.now(),
    emailOfUser: (portalId, userId) => state.portals[String(portalId)]?.owners.find((o) => String(o.userId) === userId)?.email,
    countRequest: () => stats.countCardRequest(),
  });

  return {
    url,
    clientId,
    clientSecret,
    appId,
    portalId: defaultPortalId,
    clock,
    scenario,
    get seed() {
      return state.seeds[String(defaultPortalId)];
    },
    subscriptions,
    stats: hooks.stats,
    resetStats: hooks.resetStats,
    flushWebhooks,
    pauseWebhooks: hooks.pauseWebhooks,
    resumeWebhooks: hooks.resumeWebhooks,
    webhookLog: hooks.webhookLog,
    installApp: (appInstallUrl, opts) => installAppOverHttp(appInstallUrl, opts),
    cardFetch,
    connectApp: (app) => {
      hooks.app = app;
    },
    configureApp: (input) => {
      if (input.publicBaseUrl) {
        appPublicBaseUrl = input.publicBaseUrl.replace(/\/+$/, '');
        redirectUris.add(`${appPublicBaseUrl}/oauth/callback`);
      }
      if (input.webhookUrl) appWebhookUrl = input.webhookUrl;
      if (input.baseUrl) appBaseUrl = input.baseUrl;
      else if (input.webhookUrl && !options.appBaseUrl) appBaseUrl = new URL(input.webhookUrl).origin;
      if (appWebhookUrl) delivery.setTarget(appWebhookUrl, publicWebhookUrl());
    },
    createPortal: (input) => createPortal(input ?? {}),
    issueTokens: (portalId) => {
      const portal = rt.portal(portalId ?? defaultPortalId);
      const user = portal.owners.find((o) => o.superAdmin && !o.archived) ?? portal.owners[0];
      const g = rt.oauth.issue(portal.portalId, [...rt.appScopes.required, ...rt.appScopes.optional], user?.userId ?? 0);
      markDirty();
      return g;
    },
    setFaults: (f) => rt.faults.set(f),
    setRateLimit: (on) => {
      rt.rateLimitEnabled = on;
    },
    portal: (portalId) => rt.portal(portalId ?? defaultPortalId),
    close: async () => {
      await delivery.close();
      if (saveTimer) clearTimeout(saveTimer);
      await saving;
      await save();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
