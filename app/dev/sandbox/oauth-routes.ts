import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { KNOWN_SCOPES, type TokenError, type TokenGrant } from './oauth-service';
import type { SandboxRuntime } from './sandbox-runtime';

/**
 * OAuth: the authorize page (app.hubspot.com/oauth/authorize in production) and the
 * token endpoints, both the current 2026-03 ones and the legacy v1 ones that
 * @hubspot/api-client 14's oauth.tokensApi still calls.
 * https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/refresh-oauth-token
 * https://developers.hubspot.com/changelog/v1-oauth-api-deprecation
 */

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#33475b}button{padding:.5rem 1.2rem;margin-right:.5rem}code{background:#eaf0f6;padding:0 .2rem}</style></head>
<body><p><small>tossup ローカル HubSpot サンドボックス / local HubSpot sandbox</small></p>${body}</body></html>`;
}

function isGrant(r: TokenGrant | TokenError): r is TokenGrant {
  return 'access_token' in r;
}

export function createOAuthRouter(rt: SandboxRuntime): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false });

  /** Validates an install request; returns the problems in Japanese and English. */
  function check(q: Record<string, unknown>): { problems: string[]; scopes: string[] } {
    const problems: string[] = [];
    const clientId = String(q.client_id ?? '');
    const redirectUri = String(q.redirect_uri ?? '');
    const scopes = String(q.scope ?? '').split(/[\s+]+/).filter(Boolean);
    const optional = String(q.optional_scope ?? '').split(/[\s+]+/).filter(Boolean);
    if (clientId !== rt.clientId) problems.push(`client_id が不明です / Unknown client_id "${clientId}": use the sandbox's clientId (${rt.clientId}).`);
    if (!rt.redirectUris.includes(redirectUri)) {
      problems.push(`redirect_uri が登録されていません / redirect_uri "${redirectUri}" is not registered; allowed: ${rt.redirectUris.join(', ')} (set appPublicBaseUrl or redirectUris when creating the sandbox).`);
    }
    for (const s of [...scopes, ...optional]) {
      if (!KNOWN_SCOPES.has(s)) problems.push(`不明なスコープです / Unknown scope "${s}".`);
      else if (!rt.appScopes.required.includes(s) && !rt.appScopes.optional.includes(s)) {
        problems.push(`アプリに設定されていないスコープです / Scope "${s}" is not configured for this app (src/app/app-hsmeta.json auth.requiredScopes/optionalScopes).`);
      }
    }
    const missing = rt.appScopes.required.filter((s) => !scopes.includes(s));
    if (missing.length > 0) problems.push(`必須スコープが不足しています / The install URL is missing required scopes: ${missing.join(' ')}.`);
    return { problems, scopes: [...scopes, ...optional.filter((s) => rt.appScopes.optional.includes(s))] };
  }

  function choosePortal(req: Request): number | undefined {
    const raw = req.params.portalId ?? (req.body as Record<string, unknown> | undefined)?.portal_id ?? req.query.portal_id;
    if (raw !== undefined && raw !== '') return Number(raw);
    return rt.defaultPortalId;
  }

  function approve(res: Response, q: Record<string, unknown>, portalId: number, scopes: string[]) {
    if (!rt.state.portals[String(portalId)]) {
      res.status(400).type('html').send(page('エラー / Error', `<h1>ポータルが見つかりません / Unknown portal</h1><p>Portal ${portalId} does not exist in this sandbox.</p>`));
      return;
    }
    const portal = rt.portal(portalId);
    const admin = portal.owners.find((o) => o.superAdmin && !o.archived) ?? portal.owners.find((o) => !o.archived);
    const code = rt.oauth.createCode({ portalId, clientId: String(q.client_id), redirectUri: String(q.redirect_uri), scopes, userId: admin?.userId ?? 0 });
    const target = new URL(String(q.redirect_uri));
    target.searchParams.set('code', code);
    if (q.state !== undefined) target.searchParams.set('state', String(q.state));
    res.redirect(302, target.toString());
  }

  const authorize = (req: Request, res: Response) => {
    const q = req.query as Record<string, unknown>;
    const { problems, scopes } = check(q);
    if (problems.length > 0) {
      res.status(400).type('html').send(page('インストールできません / Cannot install', `<h1>インストールできません / Cannot install</h1><ul>${problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`));
      return;
    }
    const portalId = choosePortal(req) ?? rt.defaultPortalId;
    if (q.auto === '1' || q.auto === 'true') return approve(res, q, portalId, scopes);
    const hidden = ['client_id', 'redirect_uri', 'scope', 'optional_scope', 'state']
      .filter((k) => q[k] !== undefined)
      .map((k) => `<input type="hidden" name="${k}" value="${esc(String(q[k]))}">`)
      .join('');
    const portals = Object.values(rt.state.portals)
      .map((p) => `<option value="${p.portalId}"${p.portalId === portalId ? ' selected' : ''}>${esc(p.name)} (${p.portalId})</option>`)
      .join('');
    res.type('html').send(
      page(
        'アプリの接続 / Connect app',
        `<h1>tossup をインストールしますか？ / Install tossup?</h1>
<p>このアプリは次のアクセスを要求しています / The app requests:</p><ul>${scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>
<form method="post" action="${esc(req.baseUrl + req.path)}">${hidden}
<p><label>ポータル / Account: <select name="portal_id">${portals}</select></label></p>
<button name="decision" value="approve" type="submit">接続する / Connect app</button>
<button name="decision" value="deny" type="submit">キャンセル / Cancel</button></form>`,
      ),
    );
  };

  const decide = (req: Request, res: Response) => {
    const q = (req.body ?? {}) as Record<string, unknown>;
    const { problems, scopes } = check(q);
    if (problems.length > 0) {
      res.status(400).type('html').send(page('インストールできません / Cannot install', `<ul>${problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`));
      return;
    }
    if (q.decision === 'deny') {
      const target = new URL(String(q.redirect_uri));
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user denied the install');
      if (q.state !== undefined) target.searchParams.set('state', String(q.state));
      return res.redirect(302, target.toString());
    }
    return approve(res, q, choosePortal(req) ?? rt.defaultPortalId, scopes);
  };

  router.get('/oauth/authorize', authorize);
  router.get('/oauth/:portalId/authorize', authorize);
  router.post('/oauth/authorize', form, decide);
  router.post('/oauth/:portalId/authorize', form, decide);

  /** Shared token logic; `rfc` adds the RFC 6749 fields of the 2026-03 endpoints to errors. */
  const token = (rfc: boolean) => (req: Request, res: Response) => {
    // v1 also accepted query-string parameters; 2026-03 only takes the body.
    const p = { ...(rfc ? {} : (req.query as Record<string, unknown>)), ...((req.body ?? {}) as Record<string, unknown>) };
    const fail = (status: number, error: string, legacyStatus: string, description: string) => {
      const body: Record<string, unknown> = { status: legacyStatus, message: description, correlationId: randomUUID() };
      if (rfc) Object.assign(body, { error, error_description: description });
      res.status(status).json(body);
    };
    if (p.client_id !== rt.clientId) return fail(400, 'invalid_client', 'BAD_CLIENT_ID', `missing or unknown client_id; the sandbox's client id is ${rt.clientId}`);
    if (p.client_secret !== rt.clientSecret) return fail(400, 'invalid_client', 'BAD_CLIENT_SECRET', 'client_secret does not match the app; use the sandbox clientSecret');
    let result: TokenGrant | TokenError;
    if (p.grant_type === 'authorization_code') result = rt.oauth.exchangeCode({ code: p.code as string | undefined, redirectUri: p.redirect_uri as string | undefined });
    else if (p.grant_type === 'refresh_token') result = rt.oauth.refresh(p.refresh_token as string | undefined);
    else return fail(400, 'unsupported_grant_type', 'BAD_GRANT_TYPE', `grant_type must be authorization_code or refresh_token (got ${String(p.grant_type)})`);
    if (!isGrant(result)) return fail(result.status, result.error, result.legacyStatus, result.error_description);
    rt.markDirty();
    res.json(result);
  };
  router.post('/oauth/2026-03/token', form, token(true));
  router.post('/oauth/v3/token', form, token(true));
  router.post('/oauth/v1/token', form, token(false));

  const introspect = (req: Request, res: Response) => {
    const t = String((req.body as Record<string, unknown>)?.token ?? req.params.token ?? '');
    const found = rt.oauth.lookupAccessToken(t);
    if (!found || found.expired) {
      if (req.params.token) return res.status(404).json({ status: 'error', message: 'Token not found or expired', correlationId: randomUUID(), category: 'OBJECT_NOT_FOUND' });
      return res.json({ active: false });
    }
    const r = found.record;
    const info = { token: t, hub_id: r.portalId, app_id: rt.appId, user_id: r.userId, scopes: r.scopes, token_type: 'access', expires_in: Math.floor((r.expiresAt - rt.clock.now()) / 1000), hub_domain: rt.portal(r.portalId).hubDomain };
    return res.json(req.params.token ? info : { active: true, client_id: rt.clientId, ...info });
  };
  router.post('/oauth/2026-03/token/introspect', form, introspect);
  router.get('/oauth/v1/access-tokens/:token', introspect);

  router.post('/oauth/2026-03/token/revoke', form, (req, res) => {
    const t = String((req.body as Record<string, unknown>)?.token ?? '');
    rt.oauth.revokeRefreshToken(t);
    rt.markDirty();
    res.status(200).json({});
  });
  router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    if (!rt.oauth.revokeRefreshToken(String(req.params.token))) return res.status(404).json({ status: 'error', message: 'refresh token not found', correlationId: randomUUID() });
    rt.markDirty();
    return res.status(204).end();
  });
  router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const r = rt.state.oauth.refreshTokens[String(req.params.token)];
    if (!r || r.revoked) return res.status(404).json({ status: 'error', message: 'refresh token not found', correlationId: randomUUID() });
    return res.json({ token: req.params.token, hub_id: r.portalId, user_id: r.userId, scopes: r.scopes, client_id: rt.clientId, token_type: 'refresh', hub_domain: rt.portal(r.portalId).hubDomain });
  });

  return router;
}
