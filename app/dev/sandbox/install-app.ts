/**
 * Drives the OAuth install like a browser: GET the app's install URL, follow its 302
 * to the sandbox's authorize page, approve (POST, as the "Connect app" button does),
 * follow the 302 back to the app's callback, and return the callback's answer.
 * Cookies set by the app (e.g. a CSRF state cookie) are kept per origin, like a browser.
 */
export interface InstallResult {
  status: number;
  url: string;
  headers: Headers;
  text: string;
  /** Every URL visited, in order (for debugging a failing install). */
  trail: string[];
}

const MAX_STEPS = 10;

export interface InstallOptions {
  portalId?: number;
  /**
   * Where HubSpot's authorize page (https://app.hubspot.com/oauth/authorize) is played:
   * a backend in production mode redirects there; the bench points it at the sandbox.
   */
  authorizeOrigin?: string;
}

export async function installAppOverHttp(appInstallUrl: string, opts: InstallOptions = {}): Promise<InstallResult> {
  const jar = new Map<string, Map<string, string>>();
  const trail: string[] = [];

  const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const origin = new URL(url).origin;
    const cookies = jar.get(origin);
    const headers = new Headers(init.headers);
    if (cookies && cookies.size > 0) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    trail.push(`${init.method ?? 'GET'} ${url}`);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = (pair ?? '').indexOf('=');
      if (eq > 0) {
        const m = jar.get(origin) ?? new Map<string, string>();
        m.set((pair as string).slice(0, eq).trim(), (pair as string).slice(eq + 1).trim());
        jar.set(origin, m);
      }
    }
    return res;
  };

  let res = await send(appInstallUrl);
  let url = appInstallUrl;
  for (let step = 0; step < MAX_STEPS; step++) {
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.arrayBuffer().catch(() => undefined);
      const next = new URL(location, url);
      if (opts.authorizeOrigin && next.origin === 'https://app.hubspot.com') {
        const local = new URL(opts.authorizeOrigin);
        next.protocol = local.protocol;
        next.host = local.host;
      }
      url = next.toString();
      res = await send(url);
      continue;
    }
    const u = new URL(url);
    if (res.status === 200 && /\/oauth\/(\d+\/)?authorize$/.test(u.pathname)) {
      // The approve page: submit the form as the "Connect app" button would.
      await res.arrayBuffer().catch(() => undefined);
      const form = new URLSearchParams();
      for (const k of ['client_id', 'redirect_uri', 'scope', 'optional_scope', 'state']) {
        const v = u.searchParams.get(k);
        if (v !== null) form.set(k, v);
      }
      if (opts.portalId !== undefined) form.set('portal_id', String(opts.portalId));
      form.set('decision', 'approve');
      res = await send(`${u.origin}${u.pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
      continue;
    }
    break;
  }
  return { status: res.status, url, headers: res.headers, text: await res.text(), trail };
}
