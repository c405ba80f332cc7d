import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { readOrCreateSecretFile } from '../../src/platform/secret-file';
import type { Config } from '../../src/platform/config';
import { createPersistentSandboxClock } from './persistent-clock';
import { createSandboxAppHooks } from './sandbox-app-hooks';
import { createSandboxPreviewDirectory } from './preview-directory';
import { createBackend } from '../../src/composition/create-backend';
import { createSandbox } from '.';
import { createPreviewRouter } from '../preview/preview-router';

/**
 * Local sandbox mode (no HubSpot credentials): the HubSpot stand-in and the
 * backend start together in one process sharing one clock; the app is installed
 * into the sandbox portal through the real OAuth flow; state persists in
 * TOSSUP_DATA_DIR (./.data) across restarts.
 */
export async function runSandboxMode(config: Config): Promise<void> {
  // Real time plus the offset `npm run sandbox -- advance 2h` adds (kept across restarts), read by both.
  const clock = createPersistentSandboxClock(path.join(config.dataDir, 'sandbox-clock.json'));
  const sandbox = await createSandbox({
    port: config.sandboxPort,
    appWebhookUrl: `http://127.0.0.1:${config.port}/webhooks/hubspot`,
    appPublicBaseUrl: config.publicBaseUrl,
    clock,
    persistFile: path.join(config.dataDir, 'sandbox-state.json'),
    // Per data folder, never a constant of the source: it signs webhooks and card requests.
    clientSecret: readOrCreateSecretFile(path.join(config.dataDir, 'sandbox-signing.secret'), () => randomBytes(32).toString('base64url')),
  });
  const sandboxConfig: Config = {
    ...config,
    hubspot: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, appId: String(sandbox.appId), apiBaseUrl: sandbox.url },
  };
  const backend = await createBackend(sandboxConfig, {
    clock,
    extraMounts: [{ path: '/preview', router: createPreviewRouter({ live: { config: sandboxConfig, clock, portalId: String(sandbox.portalId), directory: createSandboxPreviewDirectory(sandbox) } }) }],
  });
  const { port } = await backend.listen();
  if (port !== config.port) sandbox.configureApp({ webhookUrl: `http://127.0.0.1:${port}/webhooks/hubspot` });
  const log = backend.runtime.logger;
  if (backend.services) sandbox.connectApp(createSandboxAppHooks(sandbox, backend, backend.services));

  const portalId = String(sandbox.portalId);
  const existing = await backend.tokenStore.getInstall(portalId);
  if (existing?.status !== 'active') {
    // From the public origin, as a browser would: the state cookie must come back to the same host as the callback.
    const origin = port === config.port ? config.publicBaseUrl : `http://127.0.0.1:${port}`;
    const result = await sandbox.installApp(`${origin}/oauth/install`);
    if (result.status !== 200) {
      throw new Error(`tossup: installing into the sandbox portal failed with HTTP ${result.status}: ${result.text.slice(0, 300)}`);
    }
    log.info({ portalId }, 'installed into the sandbox portal through the OAuth flow / サンドボックスへのインストール完了');
  } else {
    log.info({ portalId }, 'already installed in the sandbox portal / インストール済み');
  }

  const base = `http://localhost:${port}`;
  process.stdout.write(
    [
      '',
      'tossup — ローカルサンドボックスモード / local sandbox mode',
      `  backend:   ${base}  (healthz: ${base}/healthz, metrics: ${base}/metrics)`,
      `  sandbox:   ${sandbox.url}  (portal ${portalId}, HubSpot stand-in; admin: ${sandbox.url}/__sandbox/info)`,
      `  preview:   ${base}/preview/  (カードと設定画面のプレビュー / cards and settings page, every state)`,
      `  live:      ${base}/preview/live/  (サンドボックスのデータで表示 / the cards on sandbox data)`,
      `  install:   completed for portal ${portalId} / インストール済み`,
      '  play:      npm run sandbox -- --help   (every step of the story as the person who does it / 各ステップを担当者として操作)',
      '             npm run sandbox -- users | contacts | show <contact> | story',
      '  demo:      npm run demo   (the article\'s story end to end / 記事のシナリオを再生)',
      '  stop:      Ctrl+C',
      '',
    ].join('\n'),
  );

  const stop = async () => {
    await backend.close();
    await sandbox.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
