import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Express } from 'express';
import { decodeEncryptionKey, type Config } from '../platform/config';
import { createSystemClock, type Clock } from '../platform/clock';
import { createLogger, type Logger } from '../platform/log';
import { createDatabase, type Database } from '../storage/database';
import { migrate } from '../storage/migrate';
import { createMetrics } from '../platform/metrics';
import { applyServerLimits } from '../platform/server-limits';
import { readOrCreateSecretFile } from '../platform/secret-file';
import { createApp, type ExtraMount } from '../http/create-app';
import { closeServer } from '../http/close-server';
import type { TokenService } from '../hubspot/token-service';
import type { PipelineRuntime } from '../worker/start-pipeline';
import { createTokenCipher } from '../platform/token-crypto';
import { createTokenStore, type TokenStore } from '../storage/token-store';
import { createTokenService } from '../oauth/create-token-service';
import { createOAuthInstaller, type OAuthInstaller } from '../oauth/oauth-installer';
import { createOAuthTokenClient } from '../hubspot/oauth-token-client';
import { readAppManifest } from '../platform/app-manifest';
import { wireServices, type RunningServices, type WireOptions } from './wire-services';
import { createProcessGateway } from './create-gateway';
import { ensurePortalProperties, upgradeInstalledPortals } from '../engine/ensure-portal-properties';
import { createRejectReasonSync } from '../engine/sync-reject-reasons';
import { loadPortalSettings } from '../storage/portal-settings-store';
import { createRejectReasonSyncStore } from '../storage/reject-reason-sync-store';

/**
 * Builds the backend from a Config: database (embedded or server) with
 * migrations, the token services, and the Express app. main.ts and the
 * end-to-end tests both use it, so what the tests run is what users run.
 */
export interface Backend {
  /** Configuration, database, clock, logger, metrics and instance id of this process. */
  runtime: PipelineRuntime;
  tokenStore: TokenStore;
  /** Present when app credentials (or the sandbox's) are configured. */
  tokens: TokenService | undefined;
  installer: OAuthInstaller | undefined;
  app: Express;
  /** Present when credentials (or the sandbox's) are configured and wiring was not disabled. */
  services: RunningServices | undefined;
  listen(port?: number): Promise<{ server: Server; port: number }>;
  close(): Promise<void>;
}

/** SIGTERM: requests in flight get this long to finish before their connections are cut. */
export const HTTP_DRAIN_MS = 10_000;
/**
 * SIGTERM: the inbox batch in progress gets this long to finish (a 2,000-event batch takes a
 * few seconds inside HubSpot's budget), else its portal lease is released for another worker.
 * Runs alongside HTTP_DRAIN_MS, so close() takes at most the larger, inside SHUTDOWN_BOUND_MS.
 */
export const BATCH_GRACE_MS = 15_000;

/**
 * Webhooks store through a small pool of their own with tight timeouts: a stalled
 * database answers HubSpot 503 (it retries) after at most ~1 s waiting for a
 * connection + 2 s of statement, inside HubSpot's 5 s, and a webhook burst cannot
 * take the connections card requests and the worker use (nor the reverse).
 */
export const INGEST_POOL = { poolSize: 4, connectionTimeoutMs: 1_000, statementTimeoutMs: 2_000 } as const;

export interface BackendOptions {
  clock?: Clock;
  logger?: Logger;
  db?: Database;
  instanceId?: string;
  /** Pipeline, SLA scheduler and card API wiring; false = HTTP only (no workers). */
  wire?: WireOptions | false;
  /** Routers mounted before the 404 handler (sandbox mode: the card preview). */
  extraMounts?: ExtraMount[];
}

/** In sandbox mode with no TOKEN_ENCRYPTION_KEY, a key is created once in the data folder (mode 600). */
export function loadOrCreateLocalKey(dataDir: string): Buffer {
  const file = path.resolve(dataDir, 'token-encryption.key');
  const key = decodeEncryptionKey(readOrCreateSecretFile(file, () => randomBytes(32).toString('base64')));
  if (!key) throw new Error(`tossup: ${file} does not hold a base64 32-byte key; delete it to create a new one (stored tokens become unreadable)`);
  return key;
}

export function previousKeysFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer[] {
  const raw = env.TOKEN_ENCRYPTION_PREVIOUS_KEYS;
  if (!raw) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const k = decodeEncryptionKey(s);
      if (!k) throw new Error('tossup: TOKEN_ENCRYPTION_PREVIOUS_KEYS must be a comma-separated list of base64 32-byte keys');
      return k;
    });
}

export async function createBackend(config: Config, options: BackendOptions = {}): Promise<Backend> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? createSystemClock();
  const db =
    options.db ??
    (config.databaseUrl
      ? await createDatabase({ kind: 'postgres', url: config.databaseUrl })
      : await createDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') }));
  // Only a process that serves webhooks needs the ingest pool; on the embedded database one connection serves all.
  const ingestDb =
    config.role !== 'worker' && config.databaseUrl && db.kind === 'postgres'
      ? await createDatabase({ kind: 'postgres', url: config.databaseUrl, ...INGEST_POOL })
      : db;
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ applied, database: db.kind }, 'migrations applied');

  const runtime: PipelineRuntime = {
    config,
    db,
    clock,
    logger,
    metrics: createMetrics(),
    instanceId: options.instanceId ?? `${process.pid}-${randomBytes(3).toString('hex')}`,
  };

  const key = config.tokenEncryptionKey ?? loadOrCreateLocalKey(config.dataDir);
  const cipher = createTokenCipher(key, previousKeysFromEnv());
  const tokenStore = createTokenStore(db, cipher);
  let tokens: TokenService | undefined;
  let installer: OAuthInstaller | undefined;
  let services: RunningServices | undefined;
  let upgrading: Promise<unknown> | undefined;
  if (config.hubspot.clientId && config.hubspot.clientSecret) {
    const oauth = createOAuthTokenClient({
      apiBaseUrl: config.hubspot.apiBaseUrl,
      clientId: config.hubspot.clientId,
      clientSecret: config.hubspot.clientSecret,
    });
    tokens = createTokenService({ db, store: tokenStore, oauth, clock, logger });
    const manifest = readAppManifest();
    if (options.wire !== false) services = await wireServices(runtime, tokens, options.wire ?? {});
    // Contract properties are created through the process gateway (the portal's budget
    // and retries); an HTTP-only backend has no services, so it gets a gateway of its own.
    const gateway = services?.gateway ?? createProcessGateway(runtime, tokens);
    // The reject-reason options follow the portal's published reasons (issue 14): after the properties exist.
    const rejectReasons = services?.rejectReasons ?? createRejectReasonSync({ gateway, store: createRejectReasonSyncStore(db), metrics: runtime.metrics, logger, clock });
    const syncReasons = async (portalId: string) => {
      try {
        await rejectReasons.sync(portalId, (await loadPortalSettings(db, portalId)).recycle.reasons);
      } catch (err) {
        logger.warn({ err, portalId }, 'reject reason options not synced (settings unreadable); retried at the next publish or start');
      }
    };
    installer = createOAuthInstaller({
      config,
      db,
      store: tokenStore,
      oauth,
      clock,
      logger,
      scopes: manifest.requiredScopes,
      optionalScopes: manifest.optionalScopes,
      ensureProperties: async (portalId) => {
        // Labels in the portal's language (a re-install keeps the admin's choice; a new portal gets the default 日本語).
        const r = await ensurePortalProperties(gateway, portalId, logger, (await loadPortalSettings(db, portalId)).portalLanguage);
        await syncReasons(portalId);
        return r;
      },
      isSuperAdmin: async (portalId, userId) => (await gateway.getUser(portalId, userId))?.superAdmin === true,
    });
    // Existing portals upgrade (issue 14): properties added to the contract since their install, at start-up, in the background.
    if (services && options.wire !== false && options.wire?.startTimers !== false && config.role !== 'web') {
      upgrading = upgradeInstalledPortals({
        gateway,
        logger,
        listActivePortals: () => tokenStore.listActivePortals(),
        languageOf: async (portalId) => (await loadPortalSettings(db, portalId)).portalLanguage,
        afterEnsure: syncReasons,
      });
    }
  }

  const app = createApp({ ...runtime, ingestDb, installer, cardApi: services?.cardApi }, options.extraMounts);
  let server: Server | undefined;
  return {
    runtime,
    tokenStore,
    tokens,
    installer,
    app,
    services,
    listen: (port = config.port) =>
      new Promise((resolve, reject) => {
        // Sandbox mode listens on loopback only; production on every interface (behind a proxy).
        const host = config.mode === 'sandbox' ? '127.0.0.1' : undefined;
        const s = app.listen(port, host as string, (err?: Error) => {
          if (err) return reject(err);
          server = s;
          const addr = s.address();
          resolve({ server: s, port: typeof addr === 'object' && addr ? addr.port : port });
        });
        // A busy port must reach the caller (main.ts says which variable to change), not crash the process.
        s.once('error', reject);
        applyServerLimits(s);
      }),
    close: async () => {
      // README, "Deployment / Shutdown": at once, stop accepting and drain HTTP, and stop
      // the jobs (no new batch; the batch in progress finishes within BATCH_GRACE_MS or
      // its lease is released); then close the pools, which both used.
      await Promise.all([server ? closeServer(server, HTTP_DRAIN_MS) : undefined, services?.stop(BATCH_GRACE_MS)]);
      await upgrading;
      if (ingestDb !== db) await ingestDb.close();
      if (!options.db) await db.close();
    },
  };
}

