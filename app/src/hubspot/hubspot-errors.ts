/**
 * Typed errors of the gateway. Callers (worker, card API, scheduler) decide on
 * `category` and `retryable`; they never parse HubSpot's bodies themselves.
 */
export type HubSpotErrorCategory =
  | 'rate_limit' // 429 TEN_SECONDLY_ROLLING (or unknown policy)
  | 'search_rate' // 429 "You have reached your secondly limit." (search, 5/s)
  | 'daily_limit' // 429 DAILY: no retry, alert
  | 'locked' // 423: record lock, short wait
  | 'server' // 5xx
  | 'network' // no usable HTTP answer (connection refused, reset, timeout, or an unreadable body such as a proxy's HTML 502)
  | 'validation' // 400/409/422 and other 4xx: our input is wrong, never retried
  | 'auth' // 401/403: token or scope problem
  | 'not_found'; // 404

export class HubSpotApiError extends Error {
  constructor(
    readonly operation: string,
    readonly portalId: string,
    readonly category: HubSpotErrorCategory,
    readonly status: number | undefined,
    readonly detail: string,
    readonly options: {
      retryAfterMs?: number;
      correlationId?: string;
      attempts?: number;
      cause?: unknown;
      /** HubSpot's own `category` from the error body, e.g. EXPIRED_AUTHENTICATION, MISSING_SCOPES. */
      hubspotCategory?: string;
      /** MISSING_SCOPES: the scopes HubSpot named (errors[].context.requiredGranularScopes). */
      requiredScopes?: string[];
      /** Ids a rejected batch named (context.ids or errors[].context.ids). */
      namedIds?: string[];
    } = {},
  ) {
    super(`tossup: HubSpot ${operation} for portal ${portalId} failed (${category}${status ? ` ${status}` : ''}): ${detail}. ${HINTS[category]}`);
    this.name = 'HubSpotApiError';
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.category);
  }

  /** 403 MISSING_SCOPES: the portal did not grant a scope this call needs (an optional scope, or a product it lacks). */
  get missingScope(): boolean {
    return this.options.hubspotCategory === 'MISSING_SCOPES';
  }
}

const RETRYABLE = new Set<HubSpotErrorCategory>(['rate_limit', 'search_rate', 'locked', 'server', 'network']);

const HINTS: Record<HubSpotErrorCategory, string> = {
  rate_limit: 'The portal hit its 10-second limit; the call was retried after the window and will be retried again later.',
  search_rate: 'The portal hit the search limit (5/s); the sweep will continue later.',
  daily_limit: 'The portal hit its daily API limit; calls stop until it resets. Check for another integration using the same portal heavily.',
  locked: 'HubSpot held a record lock; the call will be retried.',
  server: 'HubSpot answered with a server error; the call will be retried with backoff.',
  network: 'HubSpot could not be reached; check HUBSPOT_API_BASE_URL and the network. The call will be retried.',
  validation: 'HubSpot rejected the input; check the property names/values (a validation rule in the portal may forbid the write).',
  auth: 'The access token or its scopes were refused; reinstall the app from /oauth/install to grant the required scopes.',
  not_found: 'The record does not exist (deleted or merged).',
};

/** A batch answered 207 with per-input errors: the named inputs were not written. */
export class HubSpotBatchPartialError extends HubSpotApiError {
  constructor(operation: string, portalId: string, readonly failures: { ids: string[]; message: string; category: string }[]) {
    super(operation, portalId, 'validation', 207, failures.map((f) => `${f.category}: ${f.message} [${f.ids.join(',')}]`).join('; '));
    this.name = 'HubSpotBatchPartialError';
  }
}

/**
 * A create whose key was reserved recently by a call that did not finish: HubSpot's
 * search index lags writes by a few seconds, so we cannot yet tell whether the
 * object exists. Retried later; never answered by creating a second object.
 */
export class SideEffectInFlightError extends Error {
  constructor(readonly portalId: string, readonly keys: string[], readonly retryAtMs: number) {
    super(
      `tossup: ${keys.length} create(s) for portal ${portalId} were started by an earlier attempt that did not finish (${keys.slice(0, 3).join(', ')}); ` +
        'they are checked against HubSpot once its search index has caught up, and retried then',
    );
    this.name = 'SideEffectInFlightError';
  }
}
