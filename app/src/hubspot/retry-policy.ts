import { HubSpotApiError, type HubSpotErrorCategory } from './hubspot-errors';
import { HUBSPOT_BURST_WINDOW_MS, LOCKED_RETRY_MS, SEARCH_WINDOW_MS } from './hubspot-limits';

/**
 * What to do after a failed HubSpot call. The SDK's own retry decorator is off
 * (numberOfApiCallRetries: 0) because it ignores Retry-After and waits 10 s × n on
 * every 429 (docs/hubspot-platform.md §5.4); this is our replacement.
 */
export interface RetryOptions {
  /** Total attempts including the first (default 5). */
  maxAttempts: number;
  /** 5xx/network backoff: min(base·2^(n-1), max) scaled by a random factor in [0.5, 1] (stripe-node's formula). */
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8_000, random: Math.random };

/** Shape of the errors @hubspot/api-client throws (ApiException is a different class per API module, so duck-typed). */
interface SdkErrorShape {
  code: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function isSdkError(err: unknown): err is SdkErrorShape {
  return typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'number';
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body === 'object' && body !== null) return body as Record<string, unknown>;
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
    } catch {
      return { message: body };
    }
  }
  return {};
}

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A list HubSpot names in an error body's `context` or its `errors[].context`:
 * MISSING_SCOPES names `requiredGranularScopes` (https://developers.hubspot.com/scopes),
 * a rejected batch may name the offending `ids`.
 */
function contextLists(body: Record<string, unknown>, key: string): string[] {
  const contexts = [body.context, ...(Array.isArray(body.errors) ? (body.errors as { context?: unknown }[]).map((e) => e?.context) : [])];
  const values = contexts.flatMap((c) => {
    const list = typeof c === 'object' && c !== null ? (c as Record<string, unknown>)[key] : undefined;
    return Array.isArray(list) ? list : [];
  });
  return [...new Set(values.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String))];
}

/** Turns anything the SDK (or fetch) threw into our typed error. */
export function toHubSpotApiError(err: unknown, operation: string, portalId: string, now: number): HubSpotApiError {
  if (err instanceof HubSpotApiError) return err;
  if (!isSdkError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return new HubSpotApiError(operation, portalId, 'network', undefined, message, { cause: err });
  }
  const body = bodyObject(err.body);
  const message = typeof body.message === 'string' ? body.message : `HTTP ${err.code}`;
  const correlationId = typeof body.correlationId === 'string' ? body.correlationId : undefined;
  const retryAfterMs = parseRetryAfter(header(err.headers, 'retry-after'), now);
  const hubspotCategory = typeof body.category === 'string' ? body.category : undefined;
  const requiredScopes = contextLists(body, 'requiredGranularScopes');
  const namedIds = contextLists(body, 'ids');
  const opts = {
    correlationId,
    retryAfterMs,
    cause: err,
    ...(hubspotCategory ? { hubspotCategory } : {}),
    ...(requiredScopes.length > 0 ? { requiredScopes } : {}),
    ...(namedIds.length > 0 ? { namedIds } : {}),
  };
  let category: HubSpotErrorCategory;
  if (err.code === 429) {
    if (body.policyName === 'DAILY') category = 'daily_limit';
    else if (/secondly limit/i.test(message)) category = 'search_rate';
    else category = 'rate_limit';
  } else if (err.code === 423) category = 'locked';
  else if (err.code >= 500) category = 'server';
  else if (err.code === 401 || err.code === 403) category = 'auth';
  else if (err.code === 404) category = 'not_found';
  else category = 'validation';
  return new HubSpotApiError(operation, portalId, category, err.code, message, opts);
}

/**
 * Delay before the next attempt, or undefined for "do not retry".
 * `attempt` is the number of the attempt that just failed (1-based).
 */
export function retryDelay(error: HubSpotApiError, attempt: number, options: RetryOptions, allowServerRetry: boolean): number | undefined {
  if (attempt >= options.maxAttempts || !error.retryable) return undefined;
  switch (error.category) {
    case 'rate_limit':
      // The rolling window frees within 10 s; Retry-After wins when HubSpot sends one.
      return error.options.retryAfterMs ?? HUBSPOT_BURST_WINDOW_MS;
    case 'search_rate':
      return error.options.retryAfterMs ?? SEARCH_WINDOW_MS;
    case 'locked':
      return error.options.retryAfterMs ?? LOCKED_RETRY_MS;
    case 'server':
    case 'network': {
      // A create that may have reached HubSpot is not blindly repeated (its key is
      // checked against HubSpot later instead); reads and absolute writes are.
      if (!allowServerRetry) return undefined;
      const ceiling = Math.min(options.baseDelayMs * 2 ** (attempt - 1), options.maxDelayMs);
      return Math.round(ceiling * (0.5 + options.random() * 0.5));
    }
    default:
      return undefined;
  }
}
