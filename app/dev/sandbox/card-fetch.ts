import { randomUUID } from 'node:crypto';
import { signV3 } from '../../src/platform/hubspot-signature';

/**
 * Calls the app's card API the way `hubspot.fetch()` does from a UI extension
 * (https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data):
 *  - appends `userId`, `portalId`, `userEmail`, `appId` to the query string;
 *  - sends the body as JSON (`content-type: application/json`);
 *  - signs with v3 over METHOD + the app's *public* URL (with that query) + body + timestamp;
 *  - times out after 15 s by default (at most 120 s) and retries once on a 5xx or connection error;
 *  - refuses payloads over 1 MB;
 *  - answers like HubSpot's proxy (docs/card-api-errors.md, after
 *    @hubspot/ui-extensions-dev-server's AppProxyService): app status < 300 → that
 *    status with `{ status: 'success', responseBody, context }`; ≥ 300, a network
 *    failure or a timeout → HTTP 200 with `{ status: 'error', category: 'BAD_GATEWAY',
 *    responseBody, context.appServerStatusCode }`; a header other than Authorization →
 *    HTTP 400 VALIDATION_ERROR without calling the app.
 * Read answers with readProxyAnswer (extensions/ui/src/client/hubspot-proxy.ts), as the card client does.
 */
export const CARD_FETCH_DEFAULT_TIMEOUT_MS = 15_000;
export const CARD_FETCH_MAX_TIMEOUT_MS = 120_000;
export const CARD_FETCH_MAX_BODY_BYTES = 1024 * 1024;

export interface CardFetchInput {
  /** Path under the app, e.g. `/api/v1/contacts/123/summary` (may carry its own query). */
  path: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  body?: unknown;
  userId: number | string;
  portalId?: number;
  userEmail?: string;
  timeoutMs?: number;
  /** hubspot.fetch allows one header, Authorization. */
  authorization?: string;
  /** Headers as a card would pass them; anything but Authorization is refused as HubSpot's proxy does. */
  headers?: Record<string, string>;
  /** Override the signing timestamp (tests of stale/future signatures). */
  timestamp?: number;
}

export interface CardFetchResponse {
  /** The proxy's HTTP status (200 for every app answer ≥ 300). */
  status: number;
  headers: Headers;
  /** The proxy envelope as JSON text. */
  text: string;
  /** The proxy envelope (`{ status: 'success' | 'error', responseBody, context, … }`). */
  json: unknown;
  /** How many requests were sent (2 when the automatic retry happened). */
  attempts: number;
}

export interface CardFetchDeps {
  /** Where the app listens (requests go here). */
  appBaseUrl: () => string | undefined;
  /** The origin HubSpot would call (signatures cover it). */
  appPublicBaseUrl: () => string | undefined;
  clientSecret: string;
  appId: number;
  defaultPortalId: number;
  now: () => number;
  emailOfUser: (portalId: number, userId: string) => string | undefined;
  countRequest: () => void;
}

/** What HubSpot's proxy knew of one request, echoed in its envelope's `context`. */
export interface ProxyRequest {
  method: string;
  /** The URL the card passed to hubspot.fetch. */
  requestUri: string;
  portalId: number | string;
}

/** The app's answer, or why there was none. */
export type AppOutcome = { status: number; text: string } | { failure: 'network' | 'timeout' };

/** The proxy's HTTP status and envelope for an app's answer (AppProxyService in @hubspot/ui-extensions-dev-server 2.1.2). */
export function proxyEnvelope(request: ProxyRequest, outcome: AppOutcome): { status: number; json: Record<string, unknown> } {
  const context = (appStatus: number) => ({
    correlationId: [randomUUID()],
    httpMethod: [request.method],
    appServerStatusCode: [String(appStatus)],
    portalId: [String(request.portalId)],
    requestUri: [request.requestUri],
  });
  let appStatus: number;
  let responseBody: unknown;
  if ('failure' in outcome) {
    appStatus = outcome.failure === 'timeout' ? 504 : 500;
  } else {
    appStatus = outcome.status;
    // The proxy's HTTP client parses JSON answers and passes anything else on as text.
    try {
      responseBody = JSON.parse(outcome.text) as unknown;
    } catch {
      responseBody = outcome.text;
    }
  }
  if (appStatus < 300) return { status: appStatus, json: { status: 'success', responseBody, context: context(appStatus) } };
  return {
    status: 200,
    json: {
      status: 'error',
      context: context(appStatus),
      message: 'Error returned from Request Uri',
      responseBody,
      errors: [{ message: `Unacceptable HTTP status ${appStatus} calling ${request.requestUri}` }],
      category: 'BAD_GATEWAY',
    },
  };
}

function asResponse(answer: { status: number; json: Record<string, unknown> }, attempts: number): CardFetchResponse {
  const text = JSON.stringify(answer.json);
  return { status: answer.status, headers: new Headers({ 'content-type': 'application/json; charset=utf-8' }), text, json: JSON.parse(text) as unknown, attempts };
}

export function createCardFetch(deps: CardFetchDeps) {
  return async function cardFetch(input: CardFetchInput): Promise<CardFetchResponse> {
    const base = deps.appBaseUrl();
    if (!base) throw new Error('sandbox: cardFetch() needs the app URL; pass appWebhookUrl/appBaseUrl to createSandbox() or call sandbox.configureApp()');
    const publicBase = (deps.appPublicBaseUrl() ?? base).replace(/\/+$/, '');
    if (!input.path.startsWith('/')) throw new Error(`sandbox: cardFetch path must start with "/" (got ${input.path})`);
    const portalId = input.portalId ?? deps.defaultPortalId;
    const method = input.method ?? 'GET';
    const request: ProxyRequest = { method, requestUri: `${publicBase}${input.path}`, portalId };
    const extraHeaders = { ...input.headers, ...(input.authorization ? { authorization: input.authorization } : {}) };
    const headerNames = Object.keys(extraHeaders);
    if (headerNames.length > 1 || headerNames.some((h) => h.toLowerCase() !== 'authorization')) {
      const { requestUri } = request;
      const context = { correlationId: [randomUUID()], httpMethod: [method], portalId: [String(portalId)], requestUri: [requestUri] };
      return asResponse({ status: 400, json: { category: 'VALIDATION_ERROR', status: 'error', message: "Only 'Authorization' header is allowed", context } }, 0);
    }
    const userId = String(input.userId);
    const email = input.userEmail ?? deps.emailOfUser(portalId, userId) ?? `user${userId}@sandbox.example.jp`;
    const url = new URL(input.path, 'http://placeholder');
    url.searchParams.append('userId', userId);
    url.searchParams.append('portalId', String(portalId));
    url.searchParams.append('userEmail', email);
    url.searchParams.append('appId', String(deps.appId));
    const pathAndQuery = `${url.pathname}${url.search}`;
    const body = input.body === undefined || method === 'GET' ? '' : JSON.stringify(input.body);
    if (Buffer.byteLength(body) > CARD_FETCH_MAX_BODY_BYTES) throw new Error('sandbox: hubspot.fetch request bodies are limited to 1 MB');
    const timeoutMs = Math.min(input.timeoutMs ?? CARD_FETCH_DEFAULT_TIMEOUT_MS, CARD_FETCH_MAX_TIMEOUT_MS);

    const once = async (): Promise<Response> => {
      const timestamp = input.timestamp ?? deps.now();
      const headers: Record<string, string> = {
        ...extraHeaders,
        'X-HubSpot-Signature-v3': signV3({ clientSecret: deps.clientSecret, method, uri: `${publicBase}${pathAndQuery}`, body, timestamp }),
        'X-HubSpot-Request-Timestamp': String(timestamp),
      };
      if (body !== '') headers['content-type'] = 'application/json';
      deps.countRequest();
      return fetch(`${base.replace(/\/+$/, '')}${pathAndQuery}`, { method, headers, ...(body !== '' ? { body } : {}), signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    };
    const attempt = async (): Promise<AppOutcome> => {
      try {
        const res = await once();
        return { status: res.status, text: await res.text() };
      } catch (err) {
        return { failure: (err as { name?: string }).name === 'TimeoutError' ? 'timeout' : 'network' };
      }
    };

    let attempts = 1;
    let outcome = await attempt();
    if ('failure' in outcome || outcome.status >= 500) {
      attempts++;
      outcome = await attempt();
    }
    return asResponse(proxyEnvelope(request, outcome), attempts);
  };
}
