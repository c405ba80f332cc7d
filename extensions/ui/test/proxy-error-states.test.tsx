/**
 * Every error state as a real card meets it: the real client over a fetch that
 * answers the way HubSpot's proxy does (docs/card-api-errors.md) — our answer
 * inside `{ status: 'success' | 'error', responseBody, context.appServerStatusCode }`,
 * the body as an object or a JSON string. The card shows the backend's message (or
 * the client's own for bodiless 401s and timeouts), never "could not reach tossup".
 */
import { describe, expect, it } from 'vitest';
import { Alert, ErrorState, LoadingButton, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { ApiError } from '@tossup/shared/card-dto';
import { createCardApiClient, type FetchResponseLike, type HubSpotFetch } from '@tossup/ui/client/card-api-client';
import { HandoffCard } from '@tossup/ui/components/HandoffCard';
import { ERRORS } from '../../../app/src/card-api/api-errors';
import { proxyEnvelope, type AppOutcome } from '../../../app/dev/sandbox/card-fetch';
import { handoffView, okResult } from '../fixtures/card-fixtures';
import { cardContext, fakeActions } from './fake-api';

const URI = 'https://tossup.example.com/api/v1/contacts/5001/handoff';

/**
 * An app answer as HubSpot's proxy hands it on, built by the sandbox's own stand-in
 * for the proxy (app/dev/sandbox/card-fetch.ts). `asString`: the body arrives as a
 * JSON string (the unverified production path).
 */
function viaProxy(appStatus: number, responseBody: unknown, asString = false): FetchResponseLike {
  const outcome: AppOutcome =
    appStatus === 504 ? { failure: 'timeout' } : { status: appStatus, text: responseBody === undefined ? '' : JSON.stringify(asString ? JSON.stringify(responseBody) : responseBody) };
  const answer = proxyEnvelope({ method: 'GET', requestUri: URI, portalId: '12345678' }, outcome);
  return { ok: answer.status < 300, status: answer.status, json: async () => answer.json };
}

const envelope = (error: ApiError) => ({ ok: false, error });
const UNREACHABLE_EN = 'Could not reach tossup; reload in a moment.';
const TIMEOUT_JA = 'tossupの応答が時間内に届きませんでした。少し待ってから再読み込みしてください。';
const TIMEOUT_EN = 'tossup did not answer in time; wait a moment and reload.';

const LOAD_STATES: [string, FetchResponseLike, { ja: string; en: string }][] = [
  ['401 forged signature (our body)', viaProxy(401, envelope(ERRORS.unauthorized('bad_signature'))), { ja: ERRORS.unauthorized('bad_signature').message_ja, en: ERRORS.unauthorized('bad_signature').message_en }],
  ['401 without a body', viaProxy(401, undefined), { ja: 'tossupへのリクエストを検証できませんでした。ページを再読み込みしてください。', en: 'tossup could not verify the request; reload the page.' }],
  ['forbidden (200, the scheme)', viaProxy(200, envelope(ERRORS.unknownUser())), { ja: ERRORS.unknownUser().message_ja, en: ERRORS.unknownUser().message_en }],
  ['403 from an older backend (JSON string body)', viaProxy(403, envelope(ERRORS.notInsideSales()), true), { ja: ERRORS.notInsideSales().message_ja, en: ERRORS.notInsideSales().message_en }],
  ['not_installed (200, the scheme)', viaProxy(200, envelope(ERRORS.notInstalled())), { ja: ERRORS.notInstalled().message_ja, en: ERRORS.notInstalled().message_en }],
  ['409 not_installed from an older backend', viaProxy(409, envelope(ERRORS.notInstalled())), { ja: ERRORS.notInstalled().message_ja, en: ERRORS.notInstalled().message_en }],
  ['422 key reused from an older backend (JSON string body)', viaProxy(422, envelope(ERRORS.keyReused()), true), { ja: ERRORS.keyReused().message_ja, en: ERRORS.keyReused().message_en }],
  ['500 internal error', viaProxy(500, envelope(ERRORS.internal())), { ja: ERRORS.internal().message_ja, en: ERRORS.internal().message_en }],
  ['timeout answered by the backend (200)', viaProxy(200, envelope(ERRORS.timeout())), { ja: ERRORS.timeout().message_ja, en: ERRORS.timeout().message_en }],
  ['504 proxy timeout without a body', viaProxy(504, undefined), { ja: TIMEOUT_JA, en: TIMEOUT_EN }],
  // The other unverified path: the host passes the app's answer through unwrapped.
  ['409 passed through unwrapped', { ok: false, status: 409, json: async () => envelope(ERRORS.notInstalled()) }, { ja: ERRORS.notInstalled().message_ja, en: ERRORS.notInstalled().message_en }],
  ['504 passed through unwrapped, no body', { ok: false, status: 504, json: () => Promise.reject(new Error('no body')) }, { ja: TIMEOUT_JA, en: TIMEOUT_EN }],
];

describe.each([
  ['ja', 'ja-jp'],
  ['en', 'en-us'],
] as const)('error states through HubSpot’s proxy (%s)', (lang, locale) => {
  function render(fetch: HubSpotFetch) {
    const r = createRenderer('crm.record.sidebar');
    r.render(<HandoffCard context={cardContext(locale)} actions={fakeActions()} api={createCardApiClient({ fetch })} />);
    return r;
  }

  it.each(LOAD_STATES)('%s: the card shows the right message', async (_name, response, message) => {
    const { find, waitFor } = render(async () => response);
    await waitFor(() => expect(find(ErrorState).find(Text).text).toBe(message[lang]));
    expect(find(ErrorState).find(Text).text).not.toBe(UNREACHABLE_EN);
  });

  it('a refused toss-up through the proxy shows the backend’s words', async () => {
    const view = handoffView({ gate: { passed: true, missing: [] } });
    const refusal = envelope(ERRORS.keyReused());
    const { findByTestId, waitFor } = render(async (_url, init) => (init.method === 'GET' ? viaProxy(200, okResult(view)) : viaProxy(200, refusal)));
    await waitFor(() => expect(findByTestId(LoadingButton, 'toss-up').props.disabled).toBe(false));
    findByTestId(LoadingButton, 'toss-up').trigger('onClick');
    await waitFor(() => expect(findByTestId(Alert, 'action-error').props.title).toBe(lang === 'ja' ? refusal.error.message_ja : refusal.error.message_en));
  });
});
