import path from 'node:path';
import type { Config } from '../../src/platform/config';
import { createSystemClock } from '../../src/platform/clock';
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
  const clock = createSystemClock();
  const sandbox = await createSandbox({
    port: config.sandboxPort,
    appWebhookUrl: `http://127.0.0.1:${config.port}/webhooks/hubspot`,
    appPublicBaseUrl: config.publicBaseUrl,
    clock,
    persistFile: path.join(config.dataDir, 'sandbox-state.json'),
  });
  const sandboxConfig: Config = {
    ...config,
    hubspot: { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, appId: String(sandbox.appId), apiBaseUrl: sandbox.url },
  };
  const backend = await createBackend(sandboxConfig, {
    clock,
    extraMounts: [{ path: '/preview', router: createPreviewRouter({ live: { config: sandboxConfig, clock, portalId: String(sandbox.portalId) } }) }],
  });
  const { port } = await backend.listen();
  if (port !== config.port) sandbox.configureApp({ webhookUrl: `http://127.0.0.1:${port}/webhooks/hubspot` });
  const log = backend.runtime.logger;

  const portalId = String(sandbox.portalId);
  const existing = await backend.tokenStore.getInstall(portalId);
  if (existing?.status !== 'active') {
    const result = await sandbox.installApp(`http://127.0.0.1:${port}/oauth/install`);
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
      '  scenario:  npx tsx app/dev/sandbox/cli.ts submit-form --contact <id> --form お問い合わせ',
      '             npx tsx app/dev/sandbox/cli.ts contacts   (list seeded contacts)',
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
