import type { Bilingual } from '@tossup/shared/i18n';

/**
 * The Japanese half of each configuration error (config.ts), by variable: the
 * English text names the problem precisely (zod's or ours); the Japanese line says
 * what the variable must hold, so a person reading either language can fix it.
 */
const JA: Record<string, string> = {
  PORT: 'PORT は 0〜65535 の整数で指定してください（例: PORT=3000）',
  SANDBOX_PORT: 'SANDBOX_PORT は 0〜65535 の整数で指定してください（例: SANDBOX_PORT=3100）',
  PUBLIC_BASE_URL: 'PUBLIC_BASE_URL はパスを含まないオリジン（スキーム・ホスト・ポート）で指定してください（例: https://tossup.example.com）',
  HUBSPOT_CLIENT_ID: '本番は HubSpot アプリの「認証」タブの HUBSPOT_CLIENT_ID と HUBSPOT_CLIENT_SECRET を両方、ローカルサンドボックスはどちらも設定しないでください',
  HUBSPOT_CLIENT_SECRET: '本番は HubSpot アプリの「認証」タブの HUBSPOT_CLIENT_ID と HUBSPOT_CLIENT_SECRET を両方、ローカルサンドボックスはどちらも設定しないでください',
  HUBSPOT_APP_ID: 'HUBSPOT_APP_ID は HubSpot に表示される数字のアプリIDです（例: 39594762）',
  HUBSPOT_API_BASE_URL: 'HUBSPOT_API_BASE_URL は絶対URLで指定してください（例: https://api.hubapi.com）',
  DATABASE_URL: 'DATABASE_URL は postgres:// または postgresql:// のURLで指定してください。未設定なら ./.data の組み込みDBを使います',
  TOKEN_ENCRYPTION_KEY:
    'TOKEN_ENCRYPTION_KEY は 32 バイトの乱数を base64 にしたものです（HubSpot の認証情報を設定したときは必須）。作成: node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'base64\'))"',
  LOG_LEVEL: 'LOG_LEVEL は英語の説明にある値のいずれかを指定してください',
  METRICS_TOKEN: 'METRICS_TOKEN は 16 文字以上の乱数（/metrics の Authorization: Bearer 用）にしてください',
  TOSSUP_ROLE: 'TOSSUP_ROLE は web（HTTPのみ）、worker（受信箱・SLA・照合）、all（両方）のいずれかです',
  TOSSUP_DATA_DIR: 'TOSSUP_DATA_DIR は書き込めるフォルダのパスを指定してください',
};

/** A problem line `NAME: English text` with its Japanese counterpart. */
export function configProblem(problem: string): Bilingual {
  const name = /^([A-Z_]+):/.exec(problem)?.[1] ?? '';
  return { en: problem, ja: JA[name] ? `${name}: ${JA[name]}` : `${name || '設定'}: 値が正しくありません（英語の説明を参照してください）` };
}
