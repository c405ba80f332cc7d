/**
 * `npm run backfill -- [--dry-run] [--portal <id>]…`
 *
 * Re-evaluates every contact of each portal (all active installs by default) after a
 * rules change, with the same configuration as `npm start`:
 *
 * - with HubSpot credentials: the database of DATABASE_URL (or the embedded one in
 *   TOSSUP_DATA_DIR) and HUBSPOT_API_BASE_URL. With a PostgreSQL server it can run
 *   next to the server processes: the API budget is shared through the database.
 * - without credentials (local sandbox mode): the sandbox portal saved by `npm start`
 *   in TOSSUP_DATA_DIR (sandbox-state.json) is loaded in-process and saved back. The
 *   embedded database and the sandbox state belong to one process at a time, so stop
 *   `npm start` first (this command refuses to run while the sandbox answers on
 *   SANDBOX_URL, default http://127.0.0.1:$SANDBOX_PORT).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Counter } from 'prom-client';
import { createBackend, type Backend } from './create-backend';
import { createSystemClock } from '../platform/clock';
import { ConfigError, loadConfig, type Config } from '../platform/config';
import { createSandbox, type Sandbox } from '../../dev/sandbox';
import { backfillDepsFromBackend } from './backfill-deps';
import { formatBackfillSummary } from '../backfill/format-summary';
import { createProgressBar } from '../backfill/progress-bar';
import { runBackfill } from '../backfill/run-backfill';

const USAGE = `使い方 / usage: npm run backfill -- [--dry-run] [--portal <portalId>]...
  --dry-run        何も書き込まず、遷移ごとの件数だけを表示 / write nothing; print counts per transition
  --portal <id>    対象ポータル（複数可、省略時は有効なインストールすべて） / portal(s) to backfill (default: every active install)
`;

class UsageError extends Error {}

async function apiCallsSoFar(backend: Backend): Promise<number> {
  const metric = backend.runtime.metrics.registry.getSingleMetric('tossup_hubspot_requests_total') as Counter | undefined;
  if (!metric) return 0;
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
}

async function sandboxIsRunning(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/__sandbox/info`, { signal: AbortSignal.timeout(1500) });
    return res.ok;
  } catch {
    return false;
  }
}

async function start(config: Config): Promise<{ backend: Backend; sandbox?: Sandbox }> {
  const wire = { startTimers: false } as const;
  if (config.mode !== 'sandbox') return { backend: await createBackend(config, { wire }) };

  const sandboxUrl = process.env.SANDBOX_URL ?? `http://127.0.0.1:${config.sandboxPort}`;
  if (await sandboxIsRunning(sandboxUrl)) {
    throw new UsageError(
      `npm start（サンドボックスモード）が ${sandboxUrl} で実行中です。埋め込みDBとサンドボックスの状態は1プロセス専用のため、Ctrl+C で停止してから実行してください。 / ` +
        `npm start (sandbox mode) is running at ${sandboxUrl}. The embedded database and the sandbox state belong to one process; stop it with Ctrl+C, then run the backfill.`,
    );
  }
  // As sandbox-mode.ts: the saved sandbox portal in-process, the sandbox's app credentials, one clock.
  const clock = createSystemClock();
  const sandbox = await createSandbox({ port: 0, clock, persistFile: path.join(config.dataDir, 'sandbox-state.json') });
  const sandboxConfig: Config = { ...config, hubspot: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, appId: String(sandbox.appId), apiBaseUrl: sandbox.url } };
  try {
    return { backend: await createBackend(sandboxConfig, { clock, wire }), sandbox };
  } catch (err) {
    await sandbox.close();
    throw err;
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false }, portal: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  if (args.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  for (const p of args.values.portal ?? []) if (!/^\d+$/.test(p)) throw new UsageError(`--portal には数字のポータルIDを指定してください / --portal takes a numeric portal id (got "${p}")\n${USAGE}`);

  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const { backend, sandbox } = await start(config);
  try {
    if (!backend.services) throw new Error('tossup backfill: the backend started without its services (no HubSpot credentials?)');
    const active = await backend.tokenStore.listActivePortals();
    const portals = args.values.portal ?? active;
    if (portals.length === 0) {
      throw new UsageError(
        config.mode === 'sandbox'
          ? 'インストール済みのポータルがありません。先に npm start でサンドボックスにインストールしてください / No installed portal; run npm start once to install into the sandbox portal'
          : 'インストール済みのポータルがありません。アプリをインストールしてから実行してください / No installed portal; install the app first',
      );
    }
    const notInstalled = portals.filter((p) => !active.includes(p));
    if (notInstalled.length > 0) throw new UsageError(`有効なインストールがないポータル / portal(s) without an active install: ${notInstalled.join(', ')}`);

    const deps = backfillDepsFromBackend(backend);
    for (const portalId of portals) {
      const callsBefore = await apiCallsSoFar(backend);
      const startedAt = performance.now();
      const bar = createProgressBar(process.stderr, { label: `portal ${portalId}` });
      const summary = await runBackfill(deps, portalId, { dryRun: args.values['dry-run'] ?? false, onProgress: (p) => bar.update(p.done, p.total) });
      bar.finish();
      process.stdout.write(`${formatBackfillSummary(summary, { apiCalls: (await apiCallsSoFar(backend)) - callsBefore, seconds: (performance.now() - startedAt) / 1000 })}\n`);
    }
    return 0;
  } finally {
    await backend.close();
    await sandbox?.close();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    if (err instanceof UsageError || err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`tossup backfill: 失敗しました / failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
