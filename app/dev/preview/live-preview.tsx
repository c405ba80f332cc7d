/**
 * Live mode of the local preview (sandbox mode only): the real components render
 * the real card API's answers for sandbox records, requested the way HubSpot would
 * — v3-signed with the app's client secret over the public URL, with userId,
 * portalId and appId appended — so what the page shows went through signature
 * verification, authorisation by team, the engine and the gateway.
 *
 *   GET /preview/live/                              how to use it
 *   GET /preview/live/contacts/:id?user=<userId>    sidebar + tab card of a contact
 *   GET /preview/live/deals/:id?user=<userId>       tab card of a deal
 *   GET /preview/live/settings?user=<userId>        settings page
 *   (&lang=en for English; Japanese by default)
 *
 * The pages are static HTML of the first state each card settles in: nothing on
 * them can change the portal. The fixture states (preview-states.tsx) stay the way
 * to see loading and error states a live portal cannot be made to show.
 *
 * Why sandbox only: the router signs any request for any user id it is asked to,
 * i.e. it can act as every user of the portal. With the sandbox's fixed local
 * credentials that is harmless; with a real app secret it would be a hole, so
 * creating it outside sandbox mode throws.
 */
import type { Request } from 'express';
import { Router } from 'express';
import { LoadingSpinner } from '@hubspot/ui-extensions';
import { createCardApiClient, type CardApiClient, type FetchResponseLike, type HubSpotFetch } from '@tossup/ui/client/card-api-client';
import { HandoffCard } from '@tossup/ui/components/HandoffCard';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { TimelineCard } from '@tossup/ui/components/TimelineCard';
import type { Locale } from '@tossup/shared/i18n';
import type { Clock } from '../../src/platform/clock';
import type { Config } from '../../src/platform/config';
import { signV3 } from '../../src/platform/hubspot-signature';
import { proxyEnvelope, type AppOutcome } from '../sandbox/card-fetch';
import { escapeHtml, renderComponentToHtml, type PreviewLocation, type Renderer } from './render-to-html';

export interface LivePreviewOptions {
  /** The backend's config: its client secret signs, its publicBaseUrl is the URL signed, its appId is appended. */
  config: Pick<Config, 'mode' | 'publicBaseUrl' | 'hubspot'>;
  /** The backend's clock: signature timestamps must be within 5 minutes of it. */
  clock: Clock;
  /** The sandbox portal the cards are for. */
  portalId: string;
  /** The portal's time zone as HubSpot gives it to cards (context.portal.timezone). Default Asia/Tokyo (the sandbox portal's). */
  timeZone?: string;
  /** Where the card API listens; default: the address and port the preview request itself arrived on. */
  appBaseUrl?: () => string | undefined;
}

/**
 * How long a live card may take to settle. Above the card API's own 12 s deadline
 * (card-api-router.ts), so a slow answer shows as the card's timeout message rather
 * than as a spinner.
 */
export const LIVE_SETTLE_TIMEOUT_MS = 20_000;

const ID = /^\d{1,20}$/;

/** The local origin of the socket a request arrived on (the backend itself). */
function ownOrigin(req: Request): string {
  const raw = req.socket.localAddress ?? '127.0.0.1';
  const addr = raw.startsWith('::ffff:') ? raw.slice('::ffff:'.length) : raw;
  const host = addr.includes(':') ? `[${addr}]` : addr;
  return `http://${host}:${req.socket.localPort ?? 80}`;
}

/** hubspot.fetch as HubSpot performs it for a card the given user opened, answered through its proxy envelope. */
export function createSignedFetch(options: LivePreviewOptions, userId: string, appBaseUrl: string): HubSpotFetch {
  const secret = options.config.hubspot.clientSecret;
  if (!secret) throw new Error('tossup: the live preview needs the client secret the card API verifies with (sandbox-mode.ts sets it)');
  return async (url, init): Promise<FetchResponseLike> => {
    const target = new URL(url);
    target.searchParams.append('userId', userId);
    target.searchParams.append('portalId', options.portalId);
    if (options.config.hubspot.appId) target.searchParams.append('appId', options.config.hubspot.appId);
    const pathAndQuery = `${target.pathname}${target.search}`;
    const body = init.body === undefined ? '' : JSON.stringify(init.body);
    const timestamp = options.clock.now();
    const headers: Record<string, string> = {
      'X-HubSpot-Signature-v3': signV3({ clientSecret: secret, method: init.method, uri: `${options.config.publicBaseUrl}${pathAndQuery}`, body, timestamp }),
      'X-HubSpot-Request-Timestamp': String(timestamp),
    };
    if (body !== '') headers['content-type'] = 'application/json';
    let outcome: AppOutcome;
    try {
      const res = await fetch(`${appBaseUrl}${pathAndQuery}`, { method: init.method, headers, ...(body !== '' ? { body } : {}), redirect: 'manual' });
      outcome = { status: res.status, text: await res.text() };
    } catch {
      outcome = { failure: 'network' };
    }
    // Wrapped as HubSpot's proxy wraps it, so the page shows what a real card would.
    const answer = proxyEnvelope({ method: init.method, requestUri: url, portalId: options.portalId }, outcome);
    return { ok: answer.status >= 200 && answer.status < 300, status: answer.status, json: async () => answer.json };
  };
}

const settle = (r: Renderer) =>
  r.waitFor(
    () => {
      if (r.maybeFind(LoadingSpinner)) throw new Error('still loading');
    },
    { timeoutInMs: LIVE_SETTLE_TIMEOUT_MS },
  );

const actions = { addAlert: () => undefined, refreshObjectProperties: () => undefined };

function section(kind: 'sidebar' | 'tab' | 'settings', title: string, html: string): string {
  return `<section class="card ${kind}"><p class="card-title">${escapeHtml(title)}</p>${html}</section>`;
}

export function createLivePreviewRouter(options: LivePreviewOptions, page: (title: string, body: string) => string): Router {
  if (options.config.mode !== 'sandbox') {
    throw new Error('tossup: the live preview signs card requests as any user; it may only be mounted in local sandbox mode');
  }
  const router = Router();
  const timeZone = options.timeZone ?? 'Asia/Tokyo';

  function clientFor(req: Request, userId: string): CardApiClient {
    const appBase = (options.appBaseUrl?.() ?? ownOrigin(req)).replace(/\/+$/, '');
    // baseUrl is the app's public origin: the client builds URLs on it, the signed fetch sends them to appBase.
    return createCardApiClient({ baseUrl: appBase, fetch: createSignedFetch(options, userId, appBase) });
  }

  function params(req: Request): { locale: Locale; userId: string } | { error: string } {
    const user = typeof req.query.user === 'string' ? req.query.user : '';
    if (!ID.test(user)) return { error: 'user=&lt;HubSpot user id&gt; が必要です / user=&lt;HubSpot user id&gt; is required (e.g. ?user=71005)' };
    return { locale: req.query.lang === 'en' ? 'en' : 'ja', userId: user };
  }

  const render = (location: PreviewLocation, element: JSX.Element) => renderComponentToHtml({ location, element, settle });
  const context = (locale: Locale, objectId: string, objectTypeId: string) => ({
    user: { locale: locale === 'ja' ? 'ja-jp' : 'en-us' },
    portal: { timezone: timeZone },
    crm: { objectId: Number(objectId), objectTypeId },
  });

  router.get('/', (_req, res) => {
    res.type('html').send(
      page(
        'tossup live preview',
        `<h1>ライブプレビュー / Live preview</h1>
<p>サンドボックスのレコードを、本物のカード API の応答で表示します（署名付きリクエスト）。 / Sandbox records rendered from the real card API's answers (signed requests).</p>
<ul>
<li><code>contacts/&lt;contactId&gt;?user=&lt;userId&gt;&amp;lang=ja</code> — トスアップ（サイドバー）＋タイムライン（タブ） / hand-off sidebar + timeline tab</li>
<li><code>deals/&lt;dealId&gt;?user=&lt;userId&gt;</code> — 取引のタイムライン / deal timeline</li>
<li><code>settings?user=&lt;userId&gt;</code> — 設定画面 / settings page</li>
</ul>
<p>コンタクトとユーザーの一覧 / list contacts and users: <code>npx tsx app/dev/sandbox/cli.ts contacts</code>, <code>${escapeHtml('GET /__sandbox/portals/' + options.portalId + '/seed')}</code></p>`,
      ),
    );
  });

  router.get('/contacts/:id', async (req, res) => {
    const p = params(req);
    const id = String(req.params.id);
    if ('error' in p || !ID.test(id)) {
      res.status(400).type('html').send(page('bad request', `<p>${'error' in p ? p.error : 'contact id must be numeric / コンタクトIDは数字です'}</p>`));
      return;
    }
    const api = clientFor(req, p.userId);
    // One after the other: each card opens its own requests, as two cards on one record would.
    const sidebar = await render('crm.record.sidebar', <HandoffCard context={context(p.locale, id, '0-1')} actions={actions} api={api} />);
    const tab = await render('crm.record.tab', <TimelineCard context={context(p.locale, id, '0-1')} actions={actions} api={api} />);
    const en = p.locale === 'en';
    res
      .type('html')
      .send(
        page(
          `tossup live: contact ${id}`,
          `<div class="flex dir-row gap-lg align-start">${section('sidebar', en ? `Hand-off (sidebar) — contact ${id}` : `トスアップ（サイドバー） — コンタクト ${id}`, sidebar)}${section('tab', en ? `Cross-department timeline (tab) — contact ${id}` : `部門横断タイムライン（タブ） — コンタクト ${id}`, tab)}</div>`,
        ),
      );
  });

  router.get('/deals/:id', async (req, res) => {
    const p = params(req);
    const id = String(req.params.id);
    if ('error' in p || !ID.test(id)) {
      res.status(400).type('html').send(page('bad request', `<p>${'error' in p ? p.error : 'deal id must be numeric / 取引IDは数字です'}</p>`));
      return;
    }
    const tab = await render('crm.record.tab', <TimelineCard context={context(p.locale, id, '0-3')} actions={actions} api={clientFor(req, p.userId)} />);
    res.type('html').send(page(`tossup live: deal ${id}`, section('tab', p.locale === 'en' ? `Cross-department timeline (tab) — deal ${id}` : `部門横断タイムライン（タブ） — 取引 ${id}`, tab)));
  });

  router.get('/settings', async (req, res) => {
    const p = params(req);
    if ('error' in p) {
      res.status(400).type('html').send(page('bad request', `<p>${p.error}</p>`));
      return;
    }
    const html = await render('settings', <SettingsPage context={{ user: { locale: p.locale === 'ja' ? 'ja-jp' : 'en-us' }, portal: { timezone: timeZone } }} actions={actions} api={clientFor(req, p.userId)} />);
    res.type('html').send(page('tossup live: settings', section('settings', p.locale === 'en' ? 'tossup settings' : 'tossup 設定', html)));
  });

  return router;
}
