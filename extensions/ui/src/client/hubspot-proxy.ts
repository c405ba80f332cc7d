/**
 * HubSpot's proxy between hubspot.fetch and the app wraps the app's answer. As
 * @hubspot/ui-extensions-dev-server 2.1.2 (dist/lib/proxy/AppProxyService.js)
 * mirrors the real backend:
 *
 *   app status < 300  → HTTP <status>  { status: 'success', responseBody, context: { appServerStatusCode: ['200'], … } }
 *   app status ≥ 300  → HTTP 200       { status: 'error', category: 'BAD_GATEWAY', responseBody, context: { appServerStatusCode: ['409'], … }, errors, message }
 *   network / timeout → HTTP 200       same error envelope, responseBody undefined, appServerStatusCode ['500'] or ['504']
 *
 * What the card's `Response` then holds in HubSpot itself is UNVERIFIED
 * (docs/card-api-errors.md): the raw app answer passed through, or one of these
 * envelopes. `readProxyAnswer` accepts all three, so the client has one path.
 */

/** The app's own answer, however it reached the card. */
export interface ProxyAnswer {
  /** The app server's HTTP status (`context.appServerStatusCode`, else the response's). */
  appStatus: number;
  /** The app's body, parsed when it arrived as a JSON string; undefined when there was none. */
  body: unknown;
}

interface ProxyEnvelope {
  status: 'success' | 'error';
  responseBody?: unknown;
  context?: { appServerStatusCode?: unknown };
  category?: unknown;
}

/** A proxy envelope, never our own `{ ok, … }` envelope (which has no `status` field). */
export function isProxyEnvelope(value: unknown): value is ProxyEnvelope {
  if (typeof value !== 'object' || value === null || 'ok' in value) return false;
  const v = value as { status?: unknown };
  return (v.status === 'success' || v.status === 'error') && ('responseBody' in value || 'context' in value || 'category' in value);
}

function appServerStatus(envelope: ProxyEnvelope): number | undefined {
  const raw = envelope.context?.appServerStatusCode;
  const first = Array.isArray(raw) ? (raw[0] as unknown) : raw;
  const n = typeof first === 'number' ? first : typeof first === 'string' ? Number.parseInt(first, 10) : Number.NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/** The proxy passes our JSON as an object (parsed by its HTTP client) or, per the unverified path, as a string. */
function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/**
 * The app's status and body from what hubspot.fetch resolved with. For an error
 * envelope without an app status (the proxy refused the request itself, e.g. its
 * 400 VALIDATION_ERROR for a forbidden header), the response's own status when it
 * is an error, else 502: the app was not what answered.
 */
export function readProxyAnswer(httpStatus: number, payload: unknown): ProxyAnswer {
  if (!isProxyEnvelope(payload)) return { appStatus: httpStatus, body: payload };
  const fallback = payload.status === 'success' ? httpStatus : httpStatus >= 300 ? httpStatus : 502;
  return { appStatus: appServerStatus(payload) ?? fallback, body: parseBody(payload.responseBody) };
}
