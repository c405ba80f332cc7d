/**
 * Local preview of the cards and the settings page (sandbox mode only; the lead
 * mounts it at /preview). Each page renders the real components with fixture
 * answers of the card API, in Japanese or English, so a person can look at every
 * state of every card without a HubSpot account. No signature is involved: the
 * preview never calls the card API and never reads portal data.
 *
 *   GET /preview/                       index of all states
 *   GET /preview/all?lang=ja            every state on one page
 *   GET /preview/:card/:state?lang=en   one state (what screenshot.ts photographs)
 *   GET /preview/live/…                 with `live` options: sandbox records from the real,
 *                                       signed card API (live-preview.tsx)
 */
import { Router, type Request } from 'express';
import type { Locale } from '@tossup/shared/i18n';
import { PREVIEW_STATES, findState, type PreviewState } from './preview-states';
import { escapeHtml, PREVIEW_CSS, renderComponentToHtml } from './render-to-html';
import { createLivePreviewRouter, type LivePreviewOptions } from './live-preview';

const CARD_TITLES: Record<PreviewState['card'], { ja: string; en: string; frame: string }> = {
  handoff: { ja: 'トスアップ（サイドバー）', en: 'Hand-off (sidebar)', frame: 'sidebar' },
  timeline: { ja: '部門横断タイムライン（タブ）', en: 'Cross-department timeline (tab)', frame: 'tab' },
  settings: { ja: 'tossup 設定', en: 'tossup settings', frame: 'settings' },
};

function localeOf(req: Request): Locale {
  return req.query.lang === 'en' ? 'en' : 'ja';
}

export async function renderStateHtml(state: PreviewState, locale: Locale): Promise<string> {
  const body = await renderComponentToHtml({ location: state.location, ...state.build(locale) });
  const card = CARD_TITLES[state.card];
  return `<section class="card ${card.frame}" id="card-${state.card}-${state.id}" data-state="${state.card}/${state.id}">
<p class="card-title">${escapeHtml(locale === 'en' ? card.en : card.ja)} — ${escapeHtml(state.title)}</p>${body}</section>`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${PREVIEW_CSS}</style></head><body>${body}</body></html>`;
}

export interface PreviewRouterOptions {
  /** Sandbox mode only: also serve /live/… pages from the real card API (throws in production mode). */
  live?: LivePreviewOptions;
}

export function createPreviewRouter(options: PreviewRouterOptions = {}): Router {
  const router = Router();
  // Before /:card/:state, which would otherwise take /live/settings for a fixture state.
  if (options.live) router.use('/live', createLivePreviewRouter(options.live, page));

  router.get('/', (_req, res) => {
    const items = PREVIEW_STATES.map(
      (s) => `<li>${escapeHtml(CARD_TITLES[s.card].en)} — ${escapeHtml(s.title)}: <a href="${s.card}/${s.id}?lang=ja">日本語</a> <a href="${s.card}/${s.id}?lang=en">English</a></li>`,
    ).join('');
    res.type('html').send(page('tossup preview', `<h1>tossup card preview</h1><nav><a href="all?lang=ja">全状態（日本語）</a><a href="all?lang=en">All states (English)</a>${options.live ? '<a href="live/">ライブ（サンドボックス） / Live (sandbox)</a>' : ''}</nav><ul class="state-list">${items}</ul>`));
  });

  router.get('/all', async (req, res) => {
    const locale = localeOf(req);
    const sections: string[] = [];
    // One at a time: each render drives its own React root; nothing is shared between them.
    for (const s of PREVIEW_STATES) sections.push(await renderStateHtml(s, locale));
    res.type('html').send(page('tossup preview', `<div class="flex dir-column gap-lg">${sections.join('')}</div>`));
  });

  router.get('/:card/:state', async (req, res) => {
    const state = findState(String(req.params.card), String(req.params.state));
    if (!state) {
      res.status(404).type('html').send(page('not found', '<p>No such preview state. <a href="../">Index</a></p>'));
      return;
    }
    res.type('html').send(page(`tossup preview: ${state.card}/${state.id}`, await renderStateHtml(state, localeOf(req))));
  });

  return router;
}
