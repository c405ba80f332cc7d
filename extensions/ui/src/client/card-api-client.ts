/**
 * The cards' and settings page's only way to the backend: `hubspot.fetch` to the
 * card API (`/api/v1`), behind an interface so components take it as a prop and
 * tests pass a fake (hubspot.fetch is not mocked by @hubspot/ui-extensions/testing;
 * it calls self.hsFetch and throws outside HubSpot's worker).
 *
 * - URLs are absolute HTTPS on the backend origin, which must be listed in
 *   app-hsmeta.json `permittedUrls.fetch` (relative and localhost URLs are refused:
 *   https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data).
 * - No portal or user id is sent: HubSpot appends them to the signed URL.
 * - Every change carries a fresh idempotency key: HubSpot retries once on 5xx.
 * - Every outcome, including network failures and non-2xx answers, comes back as
 *   the same `ApiResult` envelope so a card has exactly one error path. The answer
 *   is read through HubSpot's proxy envelope when there is one (./hubspot-proxy.ts,
 *   docs/card-api-errors.md): refusals arrive as 200 `{ ok: false }`, and any other
 *   status the proxy reports as `context.appServerStatusCode` picks the fallback text.
 */
import { hubspot } from '@hubspot/ui-extensions';
import type {
  ApiError,
  ApiResult,
  BantItem,
  HandoffView,
  MutationView,
  SettingsDiffView,
  SettingsPreviewView,
  SettingsFormsView,
  SettingsImpactRunAnswer,
  SettingsTestContactView,
  SettingsVersionDocumentView,
  SettingsVersionView,
  SettingsVersionsView,
  SettingsView,
  TimelineDepartment,
  TimelineView,
} from '@tossup/shared/card-dto';
import { readProxyAnswer } from './hubspot-proxy';

/** The production backend origin (app-hsmeta.json permittedUrls.fetch). Local dev maps it with local.json. */
export const BACKEND_ORIGIN = 'https://tossup.example.com';

/**
 * hubspot.fetch allows 15 s by default (up to 120 s); the backend answers within
 * 12 s, so 15 s leaves room for the network.
 */
export const FETCH_TIMEOUT_MS = 15_000;

export interface FetchResponseLike {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

export type HubSpotFetch = (
  url: string,
  options: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; timeout?: number; body?: Record<string, unknown> },
) => Promise<FetchResponseLike>;

export interface BantInput {
  bant: Record<BantItem, boolean>;
  notes: Record<BantItem, string>;
  reason: string;
}

export interface CardApiClient {
  getHandoff(contactId: string): Promise<ApiResult<HandoffView>>;
  saveBant(contactId: string, input: BantInput): Promise<ApiResult<MutationView>>;
  tossUp(contactId: string): Promise<ApiResult<MutationView>>;
  getTimeline(
    objectType: 'contacts' | 'deals',
    objectId: string,
    query: { department: TimelineDepartment | 'all'; page: number },
  ): Promise<ApiResult<TimelineView>>;
  accept(contactId: string): Promise<ApiResult<MutationView>>;
  reject(contactId: string, input: { reasonCode: string; reason: string }): Promise<ApiResult<MutationView>>;
  getSettings<S = unknown>(): Promise<ApiResult<SettingsView<S>>>;
  saveSettings<S = unknown>(settings: unknown, expectedVersion: number): Promise<ApiResult<SettingsView<S>>>;
  previewSettings(settings: unknown): Promise<ApiResult<SettingsPreviewView>>;
  // Settings versions and the contact test (issue 16).
  listSettingsVersions(): Promise<ApiResult<SettingsVersionsView>>;
  getSettingsVersion<S = unknown>(versionNo: number): Promise<ApiResult<SettingsVersionDocumentView<S>>>;
  saveSettingsDraft(settings: unknown): Promise<ApiResult<SettingsVersionView>>;
  publishSettingsVersion(versionNo: number): Promise<ApiResult<SettingsVersionView>>;
  restoreSettingsVersion(versionNo: number): Promise<ApiResult<SettingsVersionView>>;
  diffSettings(settings: unknown): Promise<ApiResult<SettingsDiffView>>;
  /** The portal's forms (Forms API, else the titles the app has seen). */
  listForms(): Promise<ApiResult<SettingsFormsView>>;
  /** `contact` is a record id (digits) or the contact's primary e-mail. */
  testContact(contact: string, draft?: unknown): Promise<ApiResult<SettingsTestContactView>>;
  /** The full-portal impact run of the draft (a portal has one at a time: starting again answers with it). */
  startImpactRun(settings: unknown, draftFingerprint: string): Promise<ApiResult<SettingsImpactRunAnswer>>;
  getImpactRun(id: string): Promise<ApiResult<SettingsImpactRunAnswer>>;
  getLatestImpactRun(): Promise<ApiResult<SettingsImpactRunAnswer>>;
  cancelImpactRun(id: string): Promise<ApiResult<SettingsImpactRunAnswer>>;
}

/** A key per user action: random enough that two clicks never share one. */
export function newIdempotencyKey(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return `tossup-${c.randomUUID()}`;
  // Workers without randomUUID: time plus randomness still never repeats in practice.
  return `tossup-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}-${Math.random().toString(36).slice(2, 12)}`;
}

const TIMEOUT: ApiError = {
  code: 'timeout',
  message_ja: 'tossupの応答が時間内に届きませんでした。少し待ってから再読み込みしてください。',
  message_en: 'tossup did not answer in time; wait a moment and reload.',
};

/** By the app's status when its answer carried no envelope of ours. */
const FALLBACK: Record<number, ApiError> = {
  401: {
    code: 'unauthorized',
    message_ja: 'tossupへのリクエストを検証できませんでした。ページを再読み込みしてください。',
    message_en: 'tossup could not verify the request; reload the page.',
  },
  403: {
    code: 'forbidden',
    message_ja: 'この操作の権限がありません。',
    message_en: 'You are not allowed to do this.',
  },
  408: TIMEOUT,
  504: TIMEOUT,
};

const UNREACHABLE: ApiError = {
  code: 'internal_error',
  message_ja: 'tossupに接続できませんでした。時間をおいて再読み込みしてください。',
  message_en: 'Could not reach tossup; reload in a moment.',
};

export function isEnvelope(value: unknown): value is ApiResult<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const v = value as { ok: unknown; data?: unknown; error?: unknown };
  if (v.ok === true) return 'data' in v;
  return v.ok === false && typeof v.error === 'object' && v.error !== null;
}

export type ApiCall = <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: Record<string, unknown>) => Promise<ApiResult<T>>;

export interface ApiClientOptions {
  fetch?: HubSpotFetch;
  baseUrl?: string;
  newKey?: () => string;
}

/** One call to the app's `/api/v1` through hubspot.fetch, answered as an envelope whatever happens (also used by routing-api-client.ts). */
export function createApiCall(options: ApiClientOptions = {}): ApiCall {
  const doFetch: HubSpotFetch = options.fetch ?? ((url, init) => hubspot.fetch(url, init));
  const base = `${(options.baseUrl ?? BACKEND_ORIGIN).replace(/\/+$/, '')}/api/v1`;
  return async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: Record<string, unknown>): Promise<ApiResult<T>> {
    let response: FetchResponseLike;
    try {
      response = await doFetch(`${base}${path}`, { method, timeout: FETCH_TIMEOUT_MS, ...(body ? { body } : {}) });
    } catch {
      return { ok: false, error: UNREACHABLE };
    }
    let payload: unknown;
    try {
      payload = await response.json();
    } catch {
      payload = undefined;
    }
    const answer = readProxyAnswer(response.status, payload);
    if (isEnvelope(answer.body)) return answer.body as ApiResult<T>;
    return { ok: false, error: FALLBACK[answer.appStatus] ?? UNREACHABLE };
  };
}

export function createCardApiClient(options: ApiClientOptions = {}): CardApiClient {
  const call = createApiCall(options);
  const newKey = options.newKey ?? newIdempotencyKey;

  const enc = encodeURIComponent;
  return {
    getHandoff: (contactId) => call('GET', `/contacts/${enc(contactId)}/handoff`),
    saveBant: (contactId, input) =>
      call('PUT', `/contacts/${enc(contactId)}/bant`, { idempotencyKey: newKey(), bant: input.bant, notes: input.notes, reason: input.reason }),
    tossUp: (contactId) => call('POST', `/contacts/${enc(contactId)}/handoff`, { idempotencyKey: newKey() }),
    getTimeline: (objectType, objectId, query) =>
      call('GET', `/${objectType}/${enc(objectId)}/timeline?department=${enc(query.department)}&page=${query.page}`),
    accept: (contactId) => call('POST', `/contacts/${enc(contactId)}/accept`, { idempotencyKey: newKey() }),
    reject: (contactId, input) =>
      call('POST', `/contacts/${enc(contactId)}/reject`, { idempotencyKey: newKey(), reasonCode: input.reasonCode, reason: input.reason }),
    getSettings: <S,>() => call<SettingsView<S>>('GET', '/settings'),
    saveSettings: <S,>(settings: unknown, expectedVersion: number) =>
      call<SettingsView<S>>('PUT', '/settings', { idempotencyKey: newKey(), settings, expectedVersion }),
    previewSettings: (settings) => call('POST', '/settings/preview', { settings }),
    listSettingsVersions: () => call('GET', '/settings/versions'),
    getSettingsVersion: <S,>(versionNo: number) => call<SettingsVersionDocumentView<S>>('GET', `/settings/versions/${versionNo}`),
    saveSettingsDraft: (settings) => call('PUT', '/settings/draft', { idempotencyKey: newKey(), settings }),
    publishSettingsVersion: (versionNo) => call('POST', `/settings/versions/${versionNo}/publish`, { idempotencyKey: newKey() }),
    restoreSettingsVersion: (versionNo) => call('POST', `/settings/versions/${versionNo}/restore`, { idempotencyKey: newKey() }),
    diffSettings: (settings) => call('POST', '/settings/diff', { settings }),
    listForms: () => call('GET', '/settings/forms'),
    testContact: (contact, draft) =>
      call('POST', '/settings/test-contact', { ...(contact.includes('@') ? { email: contact } : { contactId: contact }), ...(draft === undefined ? {} : { settings: draft }) }),
    startImpactRun: (settings, draftFingerprint) => call('POST', '/settings/impact-runs', { idempotencyKey: newKey(), settings, draftFingerprint }),
    getImpactRun: (id) => call('GET', `/settings/impact-runs/${enc(id)}`),
    getLatestImpactRun: () => call('GET', '/settings/impact-runs/latest'),
    cancelImpactRun: (id) => call('DELETE', `/settings/impact-runs/${enc(id)}`),
  };
}
