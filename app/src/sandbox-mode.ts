import type { Config } from './config';

/** Local sandbox mode: no HubSpot credentials. */
export async function runSandboxMode(_config: Config): Promise<void> {
  process.stderr.write(
    'tossup: HUBSPOT_CLIENT_ID / HUBSPOT_CLIENT_SECRET are not set, so tossup would start in local sandbox mode, which is not built yet.\n' +
      'HubSpot の認証情報が未設定です。ローカルサンドボックスモードは未実装です。本番モードで起動するには HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET, TOKEN_ENCRYPTION_KEY を設定してください。\n',
  );
  process.exitCode = 2;
}
