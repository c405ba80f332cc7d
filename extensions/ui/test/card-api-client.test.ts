import { describe, expect, it, vi } from 'vitest';
import { BACKEND_ORIGIN, createCardApiClient, newIdempotencyKey, type HubSpotFetch } from '@tossup/ui/client/card-api-client';
import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';
import { idempotencyKeySchema } from '@tossup/shared/card-dto';

function respond(status: number, body: unknown) {
  return { ok: status >= 200 && status < 300, status, json: async () => body };
}

describe('card API client', () => {
  it('calls absolute HTTPS URLs on the permitted backend origin, never sending portal or user ids', async () => {
    const fetch = vi.fn<HubSpotFetch>(async () => respond(200, { ok: true, data: { items: [] } }));
    const api = createCardApiClient({ fetch });
    await api.getTimeline('deals', '8001', { department: 'inside_sales', page: 3 });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://tossup.example.com/api/v1/deals/8001/timeline?department=inside_sales&page=3');
    expect(new URL(url).origin).toBe(BACKEND_ORIGIN);
    expect(url).not.toMatch(/portalId|userId/);
    expect(init).toEqual({ method: 'GET', timeout: 15_000 });
  });

  it('sends a fresh idempotency key with every change', async () => {
    const fetch = vi.fn<HubSpotFetch>(async () => respond(200, { ok: true, data: {} }));
    const keys = ['tossup-key-aaaaaaaaaaaa', 'tossup-key-bbbbbbbbbbbb'];
    const api = createCardApiClient({ fetch, newKey: () => keys.shift()! });
    await api.tossUp('5001');
    await api.reject('5001', { reasonCode: 'no_budget', reason: '' });
    expect(fetch.mock.calls[0]![1]).toMatchObject({ method: 'POST', body: { idempotencyKey: 'tossup-key-aaaaaaaaaaaa' } });
    expect(fetch.mock.calls[1]![1]).toMatchObject({ method: 'POST', body: { idempotencyKey: 'tossup-key-bbbbbbbbbbbb', reasonCode: 'no_budget' } });
  });

  it('starts the full-portal impact run with a key and the draft’s fingerprint, polls it, and cancels it with DELETE', async () => {
    const fetch = vi.fn<HubSpotFetch>(async () => respond(200, { ok: true, data: { run: null } }));
    const api = createCardApiClient({ fetch, newKey: () => 'tossup-key-cccccccccccc' });
    await api.startImpactRun({ sla: {} }, '0123456789abcdef');
    await api.getImpactRun('41');
    await api.getLatestImpactRun();
    await api.cancelImpactRun('41');
    expect(fetch.mock.calls.map(([url, init]) => [init.method, url.replace(BACKEND_ORIGIN, '')])).toEqual([
      ['POST', '/api/v1/settings/impact-runs'],
      ['GET', '/api/v1/settings/impact-runs/41'],
      ['GET', '/api/v1/settings/impact-runs/latest'],
      ['DELETE', '/api/v1/settings/impact-runs/41'],
    ]);
    expect(fetch.mock.calls[0]![1].body).toEqual({ idempotencyKey: 'tossup-key-cccccccccccc', settings: { sla: {} }, draftFingerprint: '0123456789abcdef' });
  });

  it('generates keys the backend accepts, never twice the same', () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).not.toBe(b);
    expect(idempotencyKeySchema.safeParse(a).success).toBe(true);
  });

  it('passes the server envelope through, also on a 401/403 with a body', async () => {
    const error = { code: 'forbidden', message_ja: '権限がありません', message_en: 'Not allowed' };
    const api = createCardApiClient({ fetch: async () => respond(403, { ok: false, error }) });
    expect(await api.getHandoff('1')).toEqual({ ok: false, error });
  });

  it('turns a bodiless non-2xx and a network failure into bilingual errors', async () => {
    const forbidden = await createCardApiClient({ fetch: async () => ({ ok: false, status: 403, json: async () => Promise.reject(new Error('no body')) }) }).getHandoff('1');
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'forbidden', message_en: 'You are not allowed to do this.' } });
    const down = await createCardApiClient({ fetch: async () => Promise.reject(new Error('ECONNRESET')) }).getSettings();
    expect(down).toMatchObject({ ok: false, error: { code: 'internal_error', message_ja: expect.stringContaining('接続できませんでした') } });
  });

  // How HubSpot's host hands the proxy's answer to the card is unverified (docs/card-api-errors.md): all three shapes work.
  it('unwraps the proxy success envelope and the BAD_GATEWAY error envelope (body as object or JSON string)', async () => {
    const data = { items: [] };
    const success = { status: 'success', responseBody: { ok: true, data }, context: { appServerStatusCode: ['200'] } };
    expect(await createCardApiClient({ fetch: async () => respond(200, success) }).getSettings()).toEqual({ ok: true, data });
    const error = { code: 'settings_conflict', message_ja: '他の管理者が先に保存しました', message_en: 'Another admin saved first' };
    for (const responseBody of [{ ok: false, error }, JSON.stringify({ ok: false, error })]) {
      const wrapped = { status: 'error', category: 'BAD_GATEWAY', responseBody, context: { appServerStatusCode: ['409'] } };
      expect(await createCardApiClient({ fetch: async () => respond(200, wrapped) }).getSettings()).toEqual({ ok: false, error });
    }
  });

  it('reads the app status from appServerStatusCode, and never mistakes our envelope for the proxy’s', () => {
    expect(readProxyAnswer(200, { status: 'error', category: 'BAD_GATEWAY', context: { appServerStatusCode: ['401'] } })).toEqual({ appStatus: 401, body: undefined });
    expect(readProxyAnswer(200, { status: 'error', responseBody: 'oops', context: { appServerStatusCode: ['503'] } })).toEqual({ appStatus: 503, body: 'oops' });
    // The proxy's own refusal (a forbidden header): no app status.
    expect(readProxyAnswer(400, { status: 'error', category: 'VALIDATION_ERROR', context: { requestUri: ['x'] } }).appStatus).toBe(400);
    expect(readProxyAnswer(200, { status: 'error', category: 'BAD_GATEWAY' }).appStatus).toBe(502);
    const ours = { ok: false, error: { code: 'forbidden', message_ja: 'x', message_en: 'x' } };
    expect(readProxyAnswer(403, ours)).toEqual({ appStatus: 403, body: ours });
  });
});
