import { randomBytes, randomUUID } from 'node:crypto';
import type { SandboxClock } from './sandbox-clock';

/**
 * OAuth state of the sandbox: authorization codes, access and refresh tokens.
 * Access tokens live 30 minutes (expires_in 1800) on the sandbox clock, refresh
 * tokens until revoked. Tokens are persisted with the portals (persistFile), so an
 * app that stored its refresh token keeps working across `npm start` restarts.
 * https://developers.hubspot.com/docs/api-reference/2026-03/authentication/manage-oauth-tokens
 */
export const ACCESS_TOKEN_TTL_SECONDS = 1800;
/** Authorization codes are single use and short lived. */
const AUTH_CODE_TTL_MS = 5 * 60 * 1000;

export interface AccessTokenRecord {
  portalId: number;
  expiresAt: number;
  scopes: string[];
  userId: number;
  refreshToken: string;
}

export interface RefreshTokenRecord {
  portalId: number;
  scopes: string[];
  userId: number;
  revoked: boolean;
}

export interface OAuthState {
  accessTokens: Record<string, AccessTokenRecord>;
  refreshTokens: Record<string, RefreshTokenRecord>;
}

export interface TokenGrant {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: 'bearer';
  hub_id: number;
  scopes: string[];
  user_id: number;
}

export type TokenError = { status: number; error: string; error_description: string; legacyStatus: string };

export interface OAuthService {
  createCode(input: { portalId: number; clientId: string; redirectUri: string; scopes: string[]; userId: number }): string;
  exchangeCode(input: { code?: string; redirectUri?: string }): TokenGrant | TokenError;
  refresh(refreshToken: string | undefined): TokenGrant | TokenError;
  /** Issues tokens directly (tests, benchmark): same as an approved install of the portal. */
  issue(portalId: number, scopes: string[], userId: number): TokenGrant;
  lookupAccessToken(token: string): { record: AccessTokenRecord; expired: boolean } | undefined;
  revokeRefreshToken(token: string): boolean;
  /** Ends every token of a portal (uninstall). */
  revokePortal(portalId: number): void;
  /**
   * Ends the portal's current access tokens now, before their announced expiry (clock
   * skew, early expiry): calls answer 401 EXPIRED_AUTHENTICATION, refresh tokens stay valid.
   * Answers how many tokens it ended.
   */
  expireAccessTokens(portalId: number): number;
}

export function createOAuthService(clock: SandboxClock, state: OAuthState): OAuthService {
  const codes = new Map<string, { portalId: number; clientId: string; redirectUri: string; scopes: string[]; userId: number; expiresAt: number }>();

  const grant = (portalId: number, scopes: string[], userId: number, refreshToken: string): TokenGrant => {
    // HubSpot access tokens are opaque; allow for up to 300 characters on the app side.
    const accessToken = `sbx-${portalId}-${randomBytes(24).toString('base64url')}`;
    state.accessTokens[accessToken] = { portalId, scopes, userId, refreshToken, expiresAt: clock.now() + ACCESS_TOKEN_TTL_SECONDS * 1000 };
    // Drop long-expired access tokens so a long `npm start` does not grow the file forever.
    for (const [t, r] of Object.entries(state.accessTokens)) if (r.expiresAt < clock.now() - 24 * 3600_000) delete state.accessTokens[t];
    return { access_token: accessToken, refresh_token: refreshToken, expires_in: ACCESS_TOKEN_TTL_SECONDS, token_type: 'bearer', hub_id: portalId, scopes, user_id: userId };
  };

  const newRefresh = (portalId: number, scopes: string[], userId: number): string => {
    const token = `na1-${randomUUID()}`;
    state.refreshTokens[token] = { portalId, scopes, userId, revoked: false };
    return token;
  };

  return {
    createCode: (input) => {
      const code = randomUUID();
      codes.set(code, { ...input, expiresAt: clock.now() + AUTH_CODE_TTL_MS });
      return code;
    },
    exchangeCode: ({ code, redirectUri }) => {
      const c = code ? codes.get(code) : undefined;
      if (!c || c.expiresAt < clock.now()) {
        if (code) codes.delete(code);
        return { status: 400, error: 'invalid_grant', error_description: 'missing or unknown auth code (codes are single use and expire after 5 minutes; start the install again)', legacyStatus: 'BAD_AUTH_CODE' };
      }
      if (redirectUri !== c.redirectUri) {
        return { status: 400, error: 'invalid_grant', error_description: `redirect_uri does not match the one used to obtain the auth code (${c.redirectUri})`, legacyStatus: 'MISMATCH_REDIRECT_URI_AUTH_CODE' };
      }
      codes.delete(code as string);
      return grant(c.portalId, c.scopes, c.userId, newRefresh(c.portalId, c.scopes, c.userId));
    },
    refresh: (refreshToken) => {
      const r = refreshToken ? state.refreshTokens[refreshToken] : undefined;
      if (!r || r.revoked) {
        return { status: 400, error: 'invalid_grant', error_description: 'missing or unknown refresh token (it was revoked or the app was uninstalled; reinstall the app)', legacyStatus: 'BAD_REFRESH_TOKEN' };
      }
      return grant(r.portalId, r.scopes, r.userId, refreshToken as string);
    },
    issue: (portalId, scopes, userId) => grant(portalId, scopes, userId, newRefresh(portalId, scopes, userId)),
    lookupAccessToken: (token) => {
      const record = state.accessTokens[token];
      if (!record) return undefined;
      const refresh = state.refreshTokens[record.refreshToken];
      if (!refresh || refresh.revoked) return undefined;
      return { record, expired: record.expiresAt <= clock.now() };
    },
    revokeRefreshToken: (token) => {
      const r = state.refreshTokens[token];
      if (!r) return false;
      r.revoked = true;
      return true;
    },
    revokePortal: (portalId) => {
      for (const r of Object.values(state.refreshTokens)) if (r.portalId === portalId) r.revoked = true;
    },
    expireAccessTokens: (portalId) => {
      let n = 0;
      for (const r of Object.values(state.accessTokens)) {
        if (r.portalId !== portalId || r.expiresAt <= clock.now()) continue;
        r.expiresAt = clock.now() - 1000;
        n++;
      }
      return n;
    },
  };
}

/** A known-scope list for the authorize page (install URLs asking for anything else are refused like HubSpot does). */
export const KNOWN_SCOPES = new Set([
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.objects.users.read',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
  'crm.objects.marketing_events.read',
  'crm.objects.marketing_events.write',
  'crm.objects.leads.read',
  'crm.objects.leads.write',
  'settings.users.read',
  'settings.users.write',
  'settings.users.teams.read',
  'forms',
  'content',
  'marketing-email',
  'sales-email-read',
  'tickets',
  'timeline',
]);
