/**
 * HubSpot's current OAuth token endpoint, called with fetch because
 * @hubspot/api-client 14 still targets the deprecated /oauth/v1/token
 * (v1 sunset 2027-02-16: https://developers.hubspot.com/changelog/v1-oauth-api-deprecation).
 * Every parameter goes in the form body, so the client secret never appears in a URL.
 * https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/refresh-oauth-token
 */
export const TOKEN_PATH = '/oauth/2026-03/token';
export const REVOKE_PATH = '/oauth/2026-03/token/revoke';

export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  /** Seconds; HubSpot access tokens live 30 minutes. */
  expiresIn: number;
  hubId: string | undefined;
  scopes: string[];
  hubDomain: string | undefined;
}

export class OAuthTokenError extends Error {
  constructor(
    public readonly status: number,
    /** RFC 6749 error code, e.g. invalid_grant */
    public readonly code: string,
    description: string,
  ) {
    super(`tossup: HubSpot token endpoint answered ${status} ${code}: ${description}`);
    this.name = 'OAuthTokenError';
  }
  /** The grant is gone for good (revoked, uninstalled): stop and ask for a re-install. */
  get isInvalidGrant(): boolean {
    return this.code === 'invalid_grant' || this.code === 'BAD_REFRESH_TOKEN';
  }
}

export interface OAuthTokenClient {
  exchangeCode(input: { code: string; redirectUri: string }): Promise<TokenResponse>;
  refresh(refreshToken: string): Promise<TokenResponse>;
  revoke(token: string, hint: 'refresh_token' | 'access_token'): Promise<void>;
}

export function createOAuthTokenClient(options: {
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}): OAuthTokenClient {
  const doFetch = options.fetchImpl ?? fetch;
  const post = async (path: string, params: Record<string, string>): Promise<Record<string, unknown>> => {
    let res: Response;
    try {
      res = await doFetch(`${options.apiBaseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new OAuthTokenError(0, 'network_error', `could not reach ${options.apiBaseUrl}${path} (${(err as Error).message}); check HUBSPOT_API_BASE_URL`);
    }
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { message: text.slice(0, 200) };
    }
    if (!res.ok) {
      const code = typeof body.error === 'string' ? body.error : typeof body.status === 'string' ? body.status : 'http_error';
      const desc = typeof body.error_description === 'string' ? body.error_description : typeof body.message === 'string' ? body.message : res.statusText;
      throw new OAuthTokenError(res.status, code, desc);
    }
    return body;
  };
  const toTokens = (b: Record<string, unknown>): TokenResponse => {
    if (typeof b.access_token !== 'string' || typeof b.refresh_token !== 'string') {
      throw new OAuthTokenError(502, 'malformed_response', 'token response lacks access_token or refresh_token');
    }
    const scopes = typeof b.scope === 'string' ? b.scope.split(/[ ,]+/).filter(Boolean) : Array.isArray(b.scopes) ? b.scopes.map(String) : [];
    return {
      accessToken: b.access_token,
      refreshToken: b.refresh_token,
      expiresIn: typeof b.expires_in === 'number' ? b.expires_in : Number(b.expires_in ?? 1800),
      hubId: b.hub_id !== undefined && b.hub_id !== null ? String(b.hub_id) : undefined,
      scopes,
      hubDomain: typeof b.hub_domain === 'string' ? b.hub_domain : undefined,
    };
  };
  return {
    async exchangeCode({ code, redirectUri }) {
      return toTokens(
        await post(TOKEN_PATH, {
          grant_type: 'authorization_code',
          client_id: options.clientId,
          client_secret: options.clientSecret,
          redirect_uri: redirectUri,
          code,
        }),
      );
    },
    async refresh(refreshToken) {
      return toTokens(
        await post(TOKEN_PATH, {
          grant_type: 'refresh_token',
          client_id: options.clientId,
          client_secret: options.clientSecret,
          refresh_token: refreshToken,
        }),
      );
    },
    async revoke(token, hint) {
      await post(REVOKE_PATH, { token, token_type_hint: hint, client_id: options.clientId, client_secret: options.clientSecret });
    },
  };
}
