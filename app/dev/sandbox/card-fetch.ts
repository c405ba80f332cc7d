import { signV3 } from '../../src/platform/hubspot-signature';

/**
 * Calls the app's card API the way `hubspot.fetch()` does from a UI extension
 * (https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data):
 *  - appends `userId`, `portalId`, `userEmail`, `appId` to the query string;
 *  - sends the body as JSON (`content-type: application/json`);
 *  - signs with v3 over METHOD + the app's *public* URL (with that query) + body + timestamp;
 *  - times out after 15 s by default (at most 120 s) and retries once on a 5xx or connection error;
 *  - refuses payloads over 1 MB.
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
  /** Override the signing timestamp (tests of stale/future signatures). */
  timestamp?: number;
}

export interface CardFetchResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON when the answer is JSON, else undefined. */
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

export function createCardFetch(deps: CardFetchDeps) {
  return async function cardFetch(input: CardFetchInput): Promise<CardFetchResponse> {
    const base = deps.appBaseUrl();
    if (!base) throw new Error('sandbox: cardFetch() needs the app URL; pass appWebhookUrl/appBaseUrl to createSandbox() or call sandbox.configureApp()');
    const publicBase = deps.appPublicBaseUrl() ?? base;
    if (!input.path.startsWith('/')) throw new Error(`sandbox: cardFetch path must start with "/" (got ${input.path})`);
    const portalId = input.portalId ?? deps.defaultPortalId;
    const userId = String(input.userId);
    const email = input.userEmail ?? deps.emailOfUser(portalId, userId) ?? `user${userId}@sandbox.example.jp`;
    const url = new URL(input.path, 'http://placeholder');
    url.searchParams.append('userId', userId);
    url.searchParams.append('portalId', String(portalId));
    url.searchParams.append('userEmail', email);
    url.searchParams.append('appId', String(deps.appId));
    const pathAndQuery = `${url.pathname}${url.search}`;
    const method = input.method ?? 'GET';
    const body = input.body === undefined || method === 'GET' ? '' : JSON.stringify(input.body);
    if (Buffer.byteLength(body) > CARD_FETCH_MAX_BODY_BYTES) throw new Error('sandbox: hubspot.fetch request bodies are limited to 1 MB');
    const timeoutMs = Math.min(input.timeoutMs ?? CARD_FETCH_DEFAULT_TIMEOUT_MS, CARD_FETCH_MAX_TIMEOUT_MS);

    const once = async (): Promise<Response> => {
      const timestamp = input.timestamp ?? deps.now();
      const headers: Record<string, string> = {
        'X-HubSpot-Signature-v3': signV3({ clientSecret: deps.clientSecret, method, uri: `${publicBase.replace(/\/+$/, '')}${pathAndQuery}`, body, timestamp }),
        'X-HubSpot-Request-Timestamp': String(timestamp),
      };
      if (body !== '') headers['content-type'] = 'application/json';
      if (input.authorization) headers.authorization = input.authorization;
      deps.countRequest();
      return fetch(`${base.replace(/\/+$/, '')}${pathAndQuery}`, { method, headers, ...(body !== '' ? { body } : {}), signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    };

    let attempts = 1;
    let res: Response;
    try {
      res = await once();
      if (res.status >= 500) {
        await res.arrayBuffer().catch(() => undefined);
        attempts++;
        res = await once();
      }
    } catch {
      attempts++;
      res = await once();
    }
    const text = await res.text();
    let json: unknown;
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: res.status, headers: res.headers, text, json, attempts };
  };
}
