import { randomUUID } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { SandboxHttpError, hubspotError, searchRateLimited, tenSecondlyRateLimited } from './hubspot-errors';
import type { PortalState } from './portal-state';
import type { SandboxRuntime } from './sandbox-runtime';

/**
 * The request pipeline every emulated HubSpot API call goes through, in HubSpot's
 * order: bearer token (401) → scopes (403) → rate limit (429) → injected faults →
 * latency → handler. Normal (non-search) answers carry HubSpot's rate-limit headers
 * (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines#headers);
 * CRM search answers carry none.
 */
export interface ApiCall {
  portal: PortalState;
  req: Request;
}

export interface ApiResult {
  status?: number;
  body?: unknown;
}

export interface RouteOptions {
  /** The counter key, e.g. `POST /crm/v3/objects/contacts/batch/read`. */
  endpoint: (req: Request) => string;
  /** CRM search: 5/s limit instead of the 10-second budget, no rate-limit headers. */
  search?: boolean;
  /** Scopes of which the token needs at least one (HubSpot's "one or more of the following scopes"). */
  scopes?: (req: Request) => string[];
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

const MISSING_AUTH =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createApiRouteDefiner(rt: SandboxRuntime, router: Router) {
  return function define(method: Method, path: string, opts: RouteOptions, handler: (call: ApiCall) => ApiResult | Promise<ApiResult>): void {
    router[method](path, async (req: Request, res: Response) => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.set('X-HubSpot-Correlation-Id', randomUUID());
        res.set(headers);
        if (status === 204 || body === undefined) res.status(status).end();
        else res.status(status).json(body);
      };
      let portalKey = 'unauthenticated';
      let endpoint = `${req.method} ${req.path}`;
      try {
        endpoint = opts.endpoint(req);
        const auth = req.get('authorization') ?? '';
        const m = /^Bearer\s+(.+)$/i.exec(auth);
        if (!m) throw hubspotError(401, 'INVALID_AUTHENTICATION', MISSING_AUTH);
        const found = rt.oauth.lookupAccessToken((m[1] as string).trim());
        if (!found) throw hubspotError(401, 'INVALID_AUTHENTICATION', MISSING_AUTH);
        if (found.expired) {
          const minutes = Math.max(1, Math.round((rt.clock.now() - found.record.expiresAt) / 60000));
          throw hubspotError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${minutes} minute(s) ago. Refresh it with POST /oauth/2026-03/token (grant_type=refresh_token).`);
        }
        const portal = rt.portal(found.record.portalId);
        portalKey = String(portal.portalId);

        const needed = opts.scopes?.(req) ?? [];
        const missingScopes = (scopes: string[]) =>
          hubspotError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", {
            errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: scopes } }],
            links: { scopes: 'https://developers.hubspot.com/scopes' },
          });
        if (rt.enforceScopes && needed.length > 0 && !needed.some((s) => found.record.scopes.includes(s))) throw missingScopes(needed);
        const refused = rt.scopeDenials.refused(portal.portalId, req.path, needed, found.record.scopes);
        if (refused) throw missingScopes(refused);

        let headers: Record<string, string> = {};
        if (opts.search) {
          if (rt.rateLimitEnabled && rt.searchSecondly.take(portalKey) < 0) {
            rt.stats.record(portalKey, endpoint, 429, { search: true });
            const e = searchRateLimited();
            return send(e.status, e.body);
          }
        } else {
          const remaining = rt.rateLimitEnabled ? rt.tenSecondly.take(portalKey) : rt.tenSecondly.max;
          headers = {
            'X-HubSpot-RateLimit-Max': String(rt.tenSecondly.max),
            'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
            'X-HubSpot-RateLimit-Interval-Milliseconds': String(rt.tenSecondly.windowMs),
          };
          if (remaining < 0) {
            rt.stats.record(portalKey, endpoint, 429);
            const e = tenSecondlyRateLimited(headers);
            return send(e.status, e.body, e.headers);
          }
        }

        const fault = rt.faults.pick(!!opts.search, headers);
        const latency = rt.faults.latency();
        if (latency > 0) await sleep(rt.clock.toRealMs(latency));
        if (fault) {
          rt.stats.record(portalKey, endpoint, fault.error.status, { search: opts.search, injected: true });
          return send(fault.error.status, fault.error.body, { ...headers, ...fault.error.headers });
        }

        const result = await handler({ portal, req });
        const status = result.status ?? 200;
        if (req.method !== 'GET') rt.markDirty();
        rt.stats.record(portalKey, endpoint, status, { search: opts.search });
        return send(status, result.body, headers);
      } catch (err) {
        if (err instanceof SandboxHttpError) {
          rt.stats.record(portalKey, endpoint, err.status, { search: opts.search });
          return send(err.status, err.body, err.headers);
        }
        rt.stats.record(portalKey, endpoint, 500, { search: opts.search });
        return send(500, { status: 'error', message: `sandbox bug: ${(err as Error).message}`, correlationId: randomUUID(), category: 'INTERNAL_ERROR' });
      }
    });
  };
}

export type DefineRoute = ReturnType<typeof createApiRouteDefiner>;

/** Query parameters that HubSpot accepts both repeated and comma-separated (`properties=a,b&properties=c`). */
export function listParam(v: unknown): string[] {
  if (v === undefined) return [];
  const parts = Array.isArray(v) ? v : [v];
  return parts.flatMap((p) => String(p).split(',')).map((s) => s.trim()).filter(Boolean);
}

export function boolParam(v: unknown): boolean {
  return String(v).toLowerCase() === 'true';
}

export function intParam(v: unknown, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  return Number.isInteger(n) ? n : fallback;
}
