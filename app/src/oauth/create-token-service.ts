import type { Database } from '../storage/database';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/log';
import type { OAuthTokenClient } from '../hubspot/oauth-token-client';
import { OAuthTokenError } from '../hubspot/oauth-token-client';
import type { TokenStore } from '../storage/token-store';
import { InstallNotActiveError, type TokenService } from '../hubspot/token-service';

/**
 * Refresh before expiry, not on any 401: HubSpot says a 401 "is not a valid
 * indicator that a new access token must be retrieved"
 * (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).
 * Access tokens live 30 minutes; refreshing with 6 minutes left is ~80 % of the lifetime.
 * The one exception is a 401 whose category is EXPIRED_AUTHENTICATION (clock skew,
 * early expiry): the gateway then calls refreshNow once and retries once.
 */
export const REFRESH_MARGIN_MS = 6 * 60 * 1000;

export interface TokenServiceMetrics {
  refreshes: number;
  refreshFailures: number;
}

export function createTokenService(deps: {
  db: Database;
  store: TokenStore;
  oauth: OAuthTokenClient;
  clock: Clock;
  logger: Logger;
}): TokenService & { stats(): TokenServiceMetrics } {
  const inFlight = new Map<string, Promise<string>>();
  const stats: TokenServiceMetrics = { refreshes: 0, refreshFailures: 0 };

  // In-process single flight: ten concurrent jobs share one refresh.
  const singleFlight = (portalId: string, run: () => Promise<string>): Promise<string> => {
    let p = inFlight.get(portalId);
    if (!p) {
      p = run().finally(() => inFlight.delete(portalId));
      inFlight.set(portalId, p);
    }
    return p;
  };

  const assertActive = async (portalId: string) => {
    const install = await deps.store.getInstall(portalId);
    if (!install) throw new InstallNotActiveError(portalId, 'missing');
    if (install.status !== 'active') throw new InstallNotActiveError(portalId, install.status);
  };

  /** `rejected`: a forced refresh, unless the stored token is no longer the one HubSpot refused. */
  const refresh = async (portalId: string, rejected?: string): Promise<string> => {
    // Cross-process single flight: the row lock makes a second process wait, and it
    // then sees the fresh token instead of refreshing again.
    try {
      return await deps.db.transaction(async (tx) => {
        const current = await deps.store.getTokensForUpdate(tx, portalId);
        if (!current) throw new InstallNotActiveError(portalId, 'missing');
        const now = deps.clock.now();
        if (rejected === undefined ? current.accessExpiresAt - now > REFRESH_MARGIN_MS : current.accessToken !== rejected) return current.accessToken;
        stats.refreshes += 1;
        const fresh = await deps.oauth.refresh(current.refreshToken);
        await deps.store.updateTokens(
          portalId,
          { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken || current.refreshToken, accessExpiresAt: now + fresh.expiresIn * 1000 },
          now,
          tx,
        );
        deps.logger.info({ portalId }, 'access token refreshed');
        return fresh.accessToken;
      });
    } catch (err) {
      stats.refreshFailures += 1;
      if (err instanceof OAuthTokenError && err.isInvalidGrant) {
        await deps.store.markStatus(portalId, 'disconnected', `refresh failed: ${err.code}`, deps.clock.now());
        deps.logger.warn({ portalId, code: err.code }, 'refresh token rejected; install marked disconnected until re-installed');
        throw new InstallNotActiveError(portalId, 'disconnected');
      }
      throw err;
    }
  };

  return {
    async getAccessToken(portalId) {
      await assertActive(portalId);
      const tokens = await deps.store.getTokens(portalId);
      if (!tokens) throw new InstallNotActiveError(portalId, 'missing');
      if (tokens.accessExpiresAt - deps.clock.now() > REFRESH_MARGIN_MS) return tokens.accessToken;
      return singleFlight(portalId, () => refresh(portalId));
    },
    async refreshNow(portalId, rejectedToken) {
      await assertActive(portalId);
      // A refresh already under way may have been a proactive one that kept the
      // refused token (it was not near its recorded expiry): then force one more.
      const running = inFlight.get(portalId);
      if (running) {
        const token = await running;
        if (token !== rejectedToken) return token;
      }
      return singleFlight(portalId, () => refresh(portalId, rejectedToken));
    },
    stats: () => ({ ...stats }),
  };
}
