import express, { Router, type Request, type Response } from 'express';
import type { BaseDeps } from '../platform/base-deps';
import { verifyV3, SIGNATURE_FAILURE_HINTS } from '../platform/hubspot-signature';
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
};

/** GET /oauth/install, GET /oauth/callback, POST /oauth/uninstall (v3-signed). */
export function createOAuthRouter(ctx: OAuthRouterDeps): Router {
  const router = Router();
  const requireInstaller = (): OAuthInstaller => {
    if (!ctx.installer) throw new Error('tossup: the OAuth installer is not configured; set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET');
    return ctx.installer;
  };

  router.get('/install', async (_req: Request, res: Response) => {
    const installer = requireInstaller();
    res.redirect(302, await installer.buildInstallUrl());
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
    const result = await installer.handleCallback({ code: q('code'), state: q('state') });
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

  // Uninstall is an admin action from the settings page (hubspot.fetch, v3-signed).
  router.post('/uninstall', express.raw({ type: () => true, limit: '16kb' }), async (req: Request, res: Response) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyV3({
      clientSecret: ctx.config.hubspot.clientSecret,
      method: req.method,
      uri: `${ctx.config.publicBaseUrl}${req.originalUrl}`,
      rawBody: raw,
      signature: req.headers['x-hubspot-signature-v3'],
      timestamp: req.headers['x-hubspot-request-timestamp'],
      now: ctx.clock.now(),
    });
    if (!check.ok) {
      res.status(401).json({ error: 'unauthorized', reason: check.reason, message: SIGNATURE_FAILURE_HINTS[check.reason] });
      return;
    }
    const portalId = new URL(req.originalUrl, ctx.config.publicBaseUrl).searchParams.get('portalId');
    if (!portalId || !/^\d+$/.test(portalId)) {
      res.status(400).json({ error: 'bad_request', message: 'portalId がありません / portalId missing from the signed URL' });
      return;
    }
    await requireInstaller().uninstall(portalId);
    res.json({ ok: true, portalId });
  });

  return router;
}
