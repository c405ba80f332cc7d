import express, { Router, type Request, type Response } from 'express';
import type { BaseDeps } from '../platform/base-deps';
import { createRejectBeforeReading } from '../platform/reject-before-reading';
import { verifySignedRequest } from '../platform/verify-signed-request';
import { createWindowLimit } from '../platform/window-limit';
import { STATE_TTL_MS } from '../storage/oauth-state-store';
import type { OAuthInstaller } from './oauth-installer';
import { renderPage } from './render-page';

export interface OAuthRouterDeps extends Pick<BaseDeps, 'config' | 'clock'> {
  /** Absent only when the process has no app credentials (then every route answers 503). */
  installer: OAuthInstaller | undefined;
}

const STATE_MESSAGES: Record<string, [string, string]> = {
  missing: ['state パラメータがありません。', 'The state parameter is missing.'],
  unknown: ['state が不正です（このサーバーが発行したものではありません）。', 'The state is not one this server issued.'],
  expired: ['state の有効期限（10分）が切れました。', 'The state expired (10 minutes).'],
  used: ['この state は既に使用されました。', 'This state was already used.'],
  unbound: [
    'state が不正です（このブラウザに発行されたものではありません）。インストールを開始したブラウザで完了してください。',
    'The state is not one this server issued to this browser; finish the install in the browser that started it.',
  ],
};

/**
 * The install's CSRF state is bound to the browser that started it: an HttpOnly,
 * SameSite=Lax cookie (Lax: HubSpot's redirect back is a top-level GET, which still
 * carries it), Secure when PUBLIC_BASE_URL is https, scoped to /oauth and living as
 * long as the state. A callback whose state is not the cookie's is refused before
 * the state is consumed.
 */
export const STATE_COOKIE = 'tossup_oauth_state';

/**
 * Bounded: each /oauth/install stores one oauth_states row, so unauthenticated
 * callers get INSTALLS_PER_CLIENT per client address and INSTALLS_PER_PROCESS in all
 * per state lifetime (10 minutes); beyond that 429. Expired rows are purged by
 * issueState and the retention job.
 */
export const INSTALLS_PER_CLIENT = 20;
export const INSTALLS_PER_PROCESS = 500;

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const UNINSTALL_MAX_BYTES = 16 * 1024;

/** GET /oauth/install, GET /oauth/callback, POST /oauth/uninstall (v3-signed). */
export function createOAuthRouter(ctx: OAuthRouterDeps): Router {
  const router = Router();
  const requireInstaller = (): OAuthInstaller => {
    if (!ctx.installer) throw new Error('tossup: the OAuth installer is not configured; set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET');
    return ctx.installer;
  };

  const perClient = createWindowLimit({ clock: ctx.clock, windowMs: STATE_TTL_MS, max: INSTALLS_PER_CLIENT });
  const perProcess = createWindowLimit({ clock: ctx.clock, windowMs: STATE_TTL_MS, max: INSTALLS_PER_PROCESS, maxKeys: 1 });
  const secureCookie = ctx.config.publicBaseUrl.startsWith('https:');

  router.get('/install', async (req: Request, res: Response) => {
    const installer = requireInstaller();
    if (!perClient.take(req.socket.remoteAddress ?? 'unknown') || !perProcess.take('all')) {
      res
        .status(429)
        .set('Retry-After', String(STATE_TTL_MS / 1000))
        .send(renderPage('しばらくしてからお試しください / Too many install attempts', ['インストールの開始が多すぎます。10分ほど待ってからもう一度お試しください。', 'Too many installs were started; wait about 10 minutes and try again.']));
      return;
    }
    const url = await installer.buildInstallUrl();
    const state = new URL(url).searchParams.get('state') ?? '';
    res.cookie(STATE_COOKIE, state, { httpOnly: true, sameSite: 'lax', secure: secureCookie, path: '/oauth', maxAge: STATE_TTL_MS });
    res.redirect(302, url);
  });

  router.get('/callback', async (req: Request, res: Response) => {
    const installer = requireInstaller();
    const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined);
    if (q('error')) {
      res.status(400).send(
        renderPage('インストールが中止されました / Install cancelled', [
          `HubSpot からの応答: ${q('error')} / HubSpot answered: ${q('error')}`,
          'もう一度インストールするには /oauth/install を開いてください。 To try again, open /oauth/install.',
        ]),
      );
      return;
    }
    const state = q('state');
    if (state && cookieValue(req.headers.cookie, STATE_COOKIE) !== state) {
      const [ja, en] = STATE_MESSAGES.unbound!;
      res.status(400).send(renderPage('インストールを確認できません / Install could not be verified', [ja, en, '/oauth/install からやり直してください。 Start again from /oauth/install.']));
      return;
    }
    res.clearCookie(STATE_COOKIE, { httpOnly: true, sameSite: 'lax', secure: secureCookie, path: '/oauth' });
    const result = await installer.handleCallback({ code: q('code'), state });
    if (result.ok) {
      res
        .status(200)
        .send(
          renderPage('tossup のインストールが完了しました / tossup is installed', [
            `ポータル ${result.portalId} に接続しました。 Connected to portal ${result.portalId}.`,
            `プロパティ: 作成 ${result.properties.created.length} 件、既存 ${result.properties.existing.length} 件。 Properties: ${result.properties.created.length} created, ${result.properties.existing.length} already there.`,
            'レコード画面の「カスタマイズ」から tossup カードを追加してください。 Add the tossup cards to the record view via "Customize".',
          ]),
        );
      return;
    }
    if (result.code === 'state') {
      const [ja, en] = STATE_MESSAGES[String(result.detail)] ?? STATE_MESSAGES.unknown!;
      res.status(400).send(renderPage('インストールを確認できません / Install could not be verified', [ja, en, '/oauth/install からやり直してください。 Start again from /oauth/install.']));
      return;
    }
    if (result.code === 'code') {
      res.status(400).send(renderPage('認可コードがありません / Authorization code missing', ['/oauth/install からやり直してください。 Start again from /oauth/install.']));
      return;
    }
    if (result.code === 'properties') {
      res.status(502).send(
        renderPage('プロパティの作成に失敗しました / Creating properties failed', [
          'トークンは保存されました。もう一度インストールすると不足分だけ作成されます。 Tokens were stored; installing again creates only what is missing.',
          String(result.detail),
        ]),
      );
      return;
    }
    res.status(result.status).send(
      renderPage('HubSpot とのトークン交換に失敗しました / Token exchange with HubSpot failed', [
        `理由: ${String(result.detail)} / Reason: ${String(result.detail)}`,
        'HUBSPOT_CLIENT_ID・HUBSPOT_CLIENT_SECRET と、PUBLIC_BASE_URL/oauth/callback がアプリのリダイレクトURLと一致しているか確認してください。 Check HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET and that PUBLIC_BASE_URL/oauth/callback is one of the app redirect URLs.',
      ]),
    );
  });

  // Uninstall is an admin action from the settings page (hubspot.fetch, v3-signed),
  // verified exactly like a card request (app/src/platform/verify-signed-request.ts)
  // and allowed only to a super admin of the signed portal; who and when is recorded.
  const rejectBeforeReading = createRejectBeforeReading({
    config: ctx.config,
    clock: ctx.clock,
    maxBodyBytes: UNINSTALL_MAX_BYTES,
    answer: (_req, res, r) => {
      res.json({ error: r.status === 413 ? 'payload_too_large' : 'unauthorized', reason: r.reason, message: r.message });
    },
  });
  router.post('/uninstall', rejectBeforeReading, express.raw({ type: () => true, limit: UNINSTALL_MAX_BYTES }), async (req: Request, res: Response) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifySignedRequest(ctx.config, ctx.clock.now(), {
      method: req.method,
      originalUrl: req.originalUrl,
      rawBody: raw,
      headers: req.headers,
      query: req.query as Record<string, unknown>,
    });
    if (!check.ok) {
      res.status(401).json({ error: 'unauthorized', reason: check.reason, message: check.message });
      return;
    }
    const installer = requireInstaller();
    const { portalId, userId } = check.identity;
    if (!(await installer.isSuperAdmin(portalId, userId))) {
      res.status(403).json({
        error: 'forbidden',
        message: { ja: 'アンインストールはこのポータルのスーパー管理者のみ行えます。', en: 'Only a super admin of this portal can uninstall the app.' },
      });
      return;
    }
    await installer.uninstall(portalId, userId);
    res.json({ ok: true, portalId });
  });

  return router;
}
