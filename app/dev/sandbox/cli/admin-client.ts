import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';

/**
 * The CLI's connection to a running sandbox (`npm start` or `cli.ts serve`): its
 * /__sandbox admin API, and through it the app's card API signed as hubspot.fetch
 * signs it (app/dev/sandbox/card-fetch.ts).
 */
export interface AdminClient {
  base: string;
  get(path: string): Promise<unknown>;
  post(path: string, body?: unknown): Promise<unknown>;
  /** Whether an app is connected (sandbox mode), so commands can wait for it. */
  appConnected(): Promise<boolean>;
  /** A card's hubspot.fetch call as `userId`; the app's own answer out of HubSpot's proxy envelope. */
  card(input: { path: string; method: 'GET' | 'POST' | 'PUT'; userId: number; body?: unknown }): Promise<{ appStatus: number; body: unknown }>;
}

/** --url, then SANDBOX_URL, then SANDBOX_PORT (the port `npm start` gives the sandbox, default 3100). */
export function sandboxBaseUrl(flagUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const raw = flagUrl ?? env.SANDBOX_URL ?? `http://127.0.0.1:${env.SANDBOX_PORT || '3100'}`;
  return raw.replace(/\/+$/, '');
}

export function createAdminClient(base: string): AdminClient {
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(`${base}/__sandbox${path}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
    } catch (err) {
      throw new Error(
        `cannot reach the sandbox at ${base} (${(err as Error).message}); start it with \`npm start\` (or \`npx tsx app/dev/sandbox/cli.ts serve\`), or set SANDBOX_PORT / pass --url\n` +
          `サンドボックス ${base} に接続できません。\`npm start\` で起動するか、SANDBOX_PORT か --url を指定してください`,
      );
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox answered ${res.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  let connected: boolean | undefined;
  return {
    base,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    async appConnected() {
      connected ??= ((await call('GET', '/app')) as { connected: boolean }).connected;
      return connected;
    },
    async card(input) {
      const res = (await call('POST', '/card-fetch', input)) as { status: number; json: unknown };
      const answer = readProxyAnswer(res.status, res.json);
      return { appStatus: answer.appStatus, body: answer.body };
    },
  };
}
