import { ConfigError, type Config } from './config';

/**
 * Sandbox mode starts when HUBSPOT_CLIENT_ID/SECRET are absent. A deployment that
 * forgot them must not silently become a sandbox (an emulated HubSpot with a local
 * signing secret): with NODE_ENV=production or an https PUBLIC_BASE_URL the process
 * refuses to start, naming the missing variables (app/src/main.ts exits 1).
 */
export function refuseAccidentalSandbox(config: Config, env: NodeJS.ProcessEnv = process.env): void {
  if (config.mode !== 'sandbox') return;
  const why: string[] = [];
  if (env.NODE_ENV === 'production') why.push('NODE_ENV=production');
  if (config.publicBaseUrl.startsWith('https:')) why.push(`PUBLIC_BASE_URL=${config.publicBaseUrl}`);
  if (why.length === 0) return;
  const missing = ['HUBSPOT_CLIENT_ID', 'HUBSPOT_CLIENT_SECRET', ...(config.tokenEncryptionKey ? [] : ['TOKEN_ENCRYPTION_KEY'])].join(', ');
  throw new ConfigError([
    `${missing}: 本番環境（${why.join(', ')}）ではサンドボックスモードで起動しません。これらを設定してください。`,
    `${missing}: not starting the local sandbox in a production setting (${why.join(', ')}); set these variables.`,
  ]);
}
