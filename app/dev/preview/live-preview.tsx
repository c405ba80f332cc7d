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
 *   POST /preview/live/events                       a click / tick / typed value on a live card (live-session.ts)
 *   GET /preview/live/companies/:id?user=<userId>   links to the company's contacts and deals
 *
 * The cards are live: they keep running on the server (live-session.ts), and their
 * buttons and forms work — BANT, toss-up, accept, reject, settings — through the
 * same signed requests. The fixture states (preview-states.tsx) stay the way to see
 * loading and error states a live portal cannot be made to show.
 *
 * Why sandbox only: the router signs any request for any user id it is asked to,
 * i.e. it can act as every user of the portal. With the sandbox's fixed local
 * credentials that is harmless; with a real app secret it would be a hole, so
 * creating it outside sandbox mode throws.
 */
import type { Request } from 'express';
import express, { Router } from 'express';
import { createCardApiClient, type CardApiClient, type FetchResponseLike, type HubSpotFetch } from '@tossup/ui/client/card-api-client';
import { createRoutingApiClient, type RoutingApiClient } from '@tossup/ui/client/routing-api-client';
import { HandoffCard } from '@tossup/ui/components/HandoffCard';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { TimelineCard } from '@tossup/ui/components/TimelineCard';
import type { Locale } from '@tossup/shared/i18n';
import type { Clock } from '../../src/platform/clock';
import type { Config } from '../../src/platform/config';
import { signV3 } from '../../src/platform/hubspot-signature';
import { proxyEnvelope, type AppOutcome } from '../sandbox/card-fetch';
import { createLiveSessions, type LiveCardSpec } from './live-session';
import { liveCards, liveIndexExtras, recordLinks, userPicker, type LivePortalDirectory, type LiveObjectType } from './live-page';

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
  /** The portal's users and record links for the user picker and the links between records (sandbox-mode.ts). */
  directory?: LivePortalDirectory;
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

const actions = { addAlert: () => undefined, refreshObjectProperties: () => undefined };

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

  /** The routing panel's and the away-days section's calls (issue 17), signed the same way. */
  function routingClientFor(req: Request, userId: string): RoutingApiClient {
    const appBase = (options.appBaseUrl?.() ?? ownOrigin(req)).replace(/\/+$/, '');
    return createRoutingApiClient({ baseUrl: appBase, fetch: createSignedFetch(options, userId, appBase) });
  }

  function params(req: Request): { locale: Locale; userId: string } | { error: string } {
    const user = typeof req.query.user === 'string' ? req.query.user : '';
    if (!ID.test(user)) return { error: 'user=&lt;HubSpot user id&gt; が必要です / user=&lt;HubSpot user id&gt; is required (e.g. ?user=71005)' };
    return { locale: req.query.lang === 'en' ? 'en' : 'ja', userId: user };
  }

  const sessions = createLiveSessions({ settleTimeoutMs: LIVE_SETTLE_TIMEOUT_MS });
  const context = (locale: Locale, objectId: string, objectTypeId: string) => ({
    user: { locale: locale === 'ja' ? 'ja-jp' : 'en-us' },
    portal: { timezone: timeZone },
    crm: { objectId: Number(objectId), objectTypeId },
  });
  const queryOf = (p: { locale: Locale; userId: string }) => `?user=${p.userId}&lang=${p.locale}`;

  /** One record page: picker, links, and the live cards of the record. */
  async function livePage(req: Request, res: express.Response, type: LiveObjectType, cards: (api: CardApiClient, p: { locale: Locale; userId: string }, id: string, routingApi: RoutingApiClient) => LiveCardSpec[]) {
    const p = params(req);
    const id = String(req.params.id);
    if ('error' in p || !ID.test(id)) {
      res.status(400).type('html').send(page('bad request', `<p>${'error' in p ? p.error : 'id must be numeric / IDは数字です'}</p>${liveIndexExtras(options.directory)}`));
      return;
    }
    const en = p.locale === 'en';
    const session = await sessions.open(cards(clientFor(req, p.userId), p, id, routingClientFor(req, p.userId)));
    res
      .type('html')
      .send(page(`tossup live: ${type} ${id}`, `<div class="flex dir-column gap-md">${userPicker(options.directory, p.userId, en)}${recordLinks(options.directory, type, id, queryOf(p), en)}${liveCards(session.id, '../events', session.html, type === 'contacts' ? 'row' : 'column')}</div>`));
  }

  router.get('/', (_req, res) => {
    res.type('html').send(
      page(
        'tossup live preview',
        `<h1>ライブプレビュー / Live preview</h1>
<p>サンドボックスのレコードを本物のカードで表示します。ボタンとフォームは署名付きリクエストで本物のカード API を呼びます。 / The real cards on sandbox records; their buttons and forms call the real card API with signed requests.</p>
<ul>
<li><code>contacts/&lt;contactId&gt;?user=&lt;userId&gt;&amp;lang=ja</code> — トスアップ（サイドバー）＋タイムライン（タブ） / hand-off sidebar + timeline tab</li>
<li><code>deals/&lt;dealId&gt;?user=&lt;userId&gt;</code> — 取引のタイムライン / deal timeline</li>
<li><code>companies/&lt;companyId&gt;?user=&lt;userId&gt;</code> — 会社のコンタクトと取引 / the company's contacts and deals</li>
<li><code>settings?user=&lt;userId&gt;</code> — 設定画面 / settings page</li>
</ul>
<p>コンタクトとユーザーの一覧 / list contacts and users: <code>npm run sandbox -- contacts</code>, <code>npm run sandbox -- users</code></p>${liveIndexExtras(options.directory)}`,
      ),
    );
  });

  router.post('/events', express.json({ limit: '1mb' }), async (req, res) => {
    const body = (req.body ?? {}) as { session?: unknown; node?: unknown; event?: unknown; arg?: unknown };
    if (typeof body.session !== 'string' || typeof body.node !== 'number' || typeof body.event !== 'string') {
      res.status(400).json({ error: 'body must be {session, node, event, arg}' });
      return;
    }
    try {
      res.json({ html: await sessions.event(body.session, { node: body.node, event: body.event, arg: body.arg }) });
    } catch (err) {
      res.status(409).json({ error: (err as Error).message });
    }
  });

  router.get('/contacts/:id', (req, res) =>
    livePage(req, res, 'contacts', (api, p, id, routingApi) => {
      const en = p.locale === 'en';
      return [
        { key: 'sidebar', kind: 'sidebar', location: 'crm.record.sidebar', title: en ? `Hand-off (sidebar) — contact ${id}` : `トスアップ（サイドバー） — コンタクト ${id}`, element: <HandoffCard context={context(p.locale, id, '0-1')} actions={actions} api={api} /> },
        { key: 'tab', kind: 'tab', location: 'crm.record.tab', title: en ? `Cross-department timeline (tab) — contact ${id}` : `部門横断タイムライン（タブ） — コンタクト ${id}`, element: <TimelineCard context={context(p.locale, id, '0-1')} actions={actions} api={api} routingApi={routingApi} /> },
      ];
    }),
  );

  router.get('/deals/:id', (req, res) =>
    livePage(req, res, 'deals', (api, p, id, routingApi) => [
      { key: 'tab', kind: 'tab', location: 'crm.record.tab', title: p.locale === 'en' ? `Cross-department timeline (tab) — deal ${id}` : `部門横断タイムライン（タブ） — 取引 ${id}`, element: <TimelineCard context={context(p.locale, id, '0-3')} actions={actions} api={api} routingApi={routingApi} /> },
    ]),
  );

  router.get('/companies/:id', (req, res) => {
    const p = params(req);
    const id = String(req.params.id);
    if ('error' in p || !ID.test(id)) {
      res.status(400).type('html').send(page('bad request', `<p>${'error' in p ? p.error : 'id must be numeric / IDは数字です'}</p>`));
      return;
    }
    const en = p.locale === 'en';
    res.type('html').send(page(`tossup live: company ${id}`, `<div class="flex dir-column gap-md">${userPicker(options.directory, p.userId, en)}${recordLinks(options.directory, 'companies', id, queryOf(p), en)}</div>`));
  });

  router.get('/settings', async (req, res) => {
    const p = params(req);
    if ('error' in p) {
      res.status(400).type('html').send(page('bad request', `<p>${p.error}</p>${liveIndexExtras(options.directory)}`));
      return;
    }
    const en = p.locale === 'en';
    const session = await sessions.open([
      { key: 'settings', kind: 'settings', location: 'settings', title: en ? 'tossup settings' : 'tossup 設定', element: <SettingsPage context={{ user: { locale: p.locale === 'ja' ? 'ja-jp' : 'en-us' }, portal: { timezone: timeZone } }} actions={actions} api={clientFor(req, p.userId)} routingApi={routingClientFor(req, p.userId)} /> },
    ]);
    res.type('html').send(page('tossup live: settings', `<div class="flex dir-column gap-md">${userPicker(options.directory, p.userId, en)}${liveCards(session.id, 'events', session.html, 'column')}</div>`));
  });

  return router;
}
