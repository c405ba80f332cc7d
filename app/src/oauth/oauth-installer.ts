import type { Config } from '../platform/config';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { Database } from '../storage/database';
import type { OAuthTokenClient } from '../hubspot/oauth-token-client';
import { OAuthTokenError } from '../hubspot/oauth-token-client';
import type { EnsurePropertiesResult } from '../hubspot/ensure-properties';
import type { TokenStore } from '../storage/token-store';
import { consumeState, issueState, type StateCheck } from '../storage/oauth-state-store';

/**
 * The install flow (docs/product.md routes): /oauth/install → HubSpot's authorize
 * page → /oauth/callback → code exchanged at HUBSPOT_API_BASE_URL, tokens stored
 * encrypted, property group and contract properties created (idempotent).
 */
export const HUBSPOT_AUTHORIZE_URL = 'https://app.hubspot.com/oauth/authorize';

export interface OAuthInstaller {
  buildInstallUrl(): Promise<string>;
  handleCallback(input: { code: string | undefined; state: string | undefined }): Promise<CallbackResult>;
  /** Revokes and purges; `by` is the HubSpot user id recorded on the install row. */
  uninstall(portalId: string, by?: string): Promise<void>;
  /** The portal's users API says this user is a super admin (only they may uninstall). */
  isSuperAdmin(portalId: string, userId: string): Promise<boolean>;
}

export type CallbackResult =
  | { ok: true; portalId: string; properties: EnsurePropertiesResult }
  | { ok: false; status: number; code: 'state' | 'code' | 'exchange' | 'properties'; detail: StateCheck | string; portalId?: string };

export function createOAuthInstaller(deps: {
  config: Config;
  db: Database;
  store: TokenStore;
  oauth: OAuthTokenClient;
  clock: Clock;
  logger: Logger;
  scopes: string[];
  optionalScopes?: string[];
  /**
   * Creates the contract properties for a portal whose tokens are stored: through the
   * gateway (HubSpotPortalSetup), so the calls share the portal's budget and retries.
   */
  ensureProperties: (portalId: string) => Promise<EnsurePropertiesResult>;
  /** Through the gateway's users API (GET /settings/v3/users/{userId}, `superAdmin`). */
  isSuperAdmin: (portalId: string, userId: string) => Promise<boolean>;
}): OAuthInstaller {
  const authorizeBase =
    deps.config.mode === 'production' ? HUBSPOT_AUTHORIZE_URL : `${deps.config.hubspot.apiBaseUrl}/oauth/authorize`;

  return {
    async buildInstallUrl() {
      if (!deps.config.hubspot.clientId) throw new Error('tossup: HUBSPOT_CLIENT_ID is not set; the install URL cannot be built');
      const state = await issueState(deps.db, deps.clock.now());
      const u = new URL(authorizeBase);
      u.searchParams.set('client_id', deps.config.hubspot.clientId);
      u.searchParams.set('redirect_uri', deps.config.redirectUri);
      u.searchParams.set('scope', deps.scopes.join(' '));
      if (deps.optionalScopes && deps.optionalScopes.length > 0) u.searchParams.set('optional_scope', deps.optionalScopes.join(' '));
      u.searchParams.set('state', state);
      return u.toString();
    },

    async handleCallback({ code, state }) {
      const now = deps.clock.now();
      const check = await consumeState(deps.db, state, now);
      if (check !== 'ok') return { ok: false, status: 400, code: 'state', detail: check };
      if (!code) return { ok: false, status: 400, code: 'code', detail: 'missing' };

      let tokens;
      try {
        tokens = await deps.oauth.exchangeCode({ code, redirectUri: deps.config.redirectUri });
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message }, 'OAuth code exchange failed');
        const status = err instanceof OAuthTokenError && err.status >= 400 && err.status < 500 ? 400 : 502;
        return { ok: false, status, code: 'exchange', detail: err instanceof OAuthTokenError ? err.code : 'error' };
      }
      if (!tokens.hubId) return { ok: false, status: 502, code: 'exchange', detail: 'token response carried no hub_id' };
      const portalId = tokens.hubId;
      await deps.store.saveInstall(
        portalId,
        { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, accessExpiresAt: now + tokens.expiresIn * 1000 },
        { scopes: tokens.scopes.length > 0 ? tokens.scopes : deps.scopes, hubDomain: tokens.hubDomain ?? null },
        now,
      );
      try {
        // After saveInstall: the gateway reads the token of this portal from the store.
        const properties = await deps.ensureProperties(portalId);
        deps.logger.info({ portalId, created: properties.created.length, existing: properties.existing.length }, 'app installed');
        return { ok: true, portalId, properties };
      } catch (err) {
        deps.logger.error({ portalId, err: (err as Error).message }, 'install stored, but creating properties failed');
        return { ok: false, status: 502, code: 'properties', detail: (err as Error).message, portalId };
      }
    },

    isSuperAdmin: (portalId, userId) => deps.isSuperAdmin(portalId, userId),

    async uninstall(portalId, by) {
      const tokens = await deps.store.getTokens(portalId).catch(() => undefined);
      if (tokens) {
        // Best effort: the local purge below is what guarantees we stop using the token.
        await deps.oauth.revoke(tokens.refreshToken, 'refresh_token').catch((err: unknown) => {
          deps.logger.warn({ portalId, err: (err as Error).message }, 'token revoke failed; purging locally anyway');
        });
      }
      await deps.store.purge(portalId, deps.clock.now(), by);
      deps.logger.info({ portalId, by: by ?? null }, 'app uninstalled; tokens and settings purged');
    },
  };
}
