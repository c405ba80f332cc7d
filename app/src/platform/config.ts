import { z } from 'zod';
import { configProblem } from './config-messages';

/**
 * The environment contract of docs/product.md ("External contract /
 * Environment"), parsed once at start-up. A missing or malformed value stops the
 * process with a message that names the variable and how to fix it.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** What this process runs (README, "Deployment"): web = HTTP, worker = background jobs, all = both. */
const ROLES = ['web', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const envSchema = z.object({
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'PORT must be a whole number between 1 and 65535, e.g. PORT=3000' })
      .int({ error: 'PORT must be a whole number between 1 and 65535, e.g. PORT=3000' })
      .min(0, { error: 'PORT must be between 0 and 65535' })
      .max(65535, { error: 'PORT must be between 0 and 65535' })
      .default(3000),
  ),
  PUBLIC_BASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ error: 'PUBLIC_BASE_URL must be an absolute origin such as https://tossup.example.com (no path)' })
      .optional(),
  ),
  HUBSPOT_CLIENT_ID: z.preprocess(emptyToUndefined, z.string().optional()),
  HUBSPOT_CLIENT_SECRET: z.preprocess(emptyToUndefined, z.string().optional()),
  HUBSPOT_APP_ID: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^\d+$/, { error: 'HUBSPOT_APP_ID must be the numeric app id shown in HubSpot (e.g. 39594762)' }).optional(),
  ),
  HUBSPOT_API_BASE_URL: z.preprocess(
    emptyToUndefined,
    z.url({ error: 'HUBSPOT_API_BASE_URL must be an absolute URL such as https://api.hubapi.com' }).default('https://api.hubapi.com'),
  ),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, {
        error: 'DATABASE_URL must be a postgres:// or postgresql:// URL, e.g. postgres://postgres@127.0.0.1:5432/tossup; unset it to use the embedded database in ./.data',
      })
      .optional(),
  ),
  TOKEN_ENCRYPTION_KEY: z.preprocess(emptyToUndefined, z.string().optional()),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  TOSSUP_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./.data')),
  SANDBOX_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3100)),
  METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, { error: 'METRICS_TOKEN must be at least 16 characters (a random secret for the Authorization: Bearer header of /metrics)' }).optional()),
  TOSSUP_ROLE: z.preprocess(
    emptyToUndefined,
    z.enum(ROLES, { error: `TOSSUP_ROLE must be one of ${ROLES.join(', ')} (web: HTTP only; worker: inbox, SLA, reconciliation, retention; all: both)` }).default('all'),
  ),
});

export type Mode = 'production' | 'sandbox';

export interface Config {
  mode: Mode;
  port: number;
  /** Origin HubSpot calls, without a trailing slash. */
  publicBaseUrl: string;
  /** PUBLIC_BASE_URL + /oauth/callback */
  redirectUri: string;
  hubspot: {
    clientId: string | undefined;
    clientSecret: string | undefined;
    appId: string | undefined;
    apiBaseUrl: string;
  };
  databaseUrl: string | undefined;
  /** 32 raw bytes, when configured. */
  tokenEncryptionKey: Buffer | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  dataDir: string;
  sandboxPort: number;
  /** METRICS_TOKEN: bearer token for /metrics in production (unset: /metrics answers 404 there). */
  metricsToken: string | undefined;
  /** TOSSUP_ROLE (default all). */
  role: Role;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    // Each problem in English, then in Japanese (config-messages.ts).
    super(`tossup: configuration error / 設定エラー\n${problems.map((p) => `  - ${configProblem(p).en}\n    ${configProblem(p).ja}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function decodeEncryptionKey(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const key = Buffer.from(value, 'base64');
  return key.length === 32 ? key : undefined;
}

const KEY_HINT =
  'must be 32 random bytes in base64. Create one with: node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'base64\'))"';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = i.path.join('.');
        return `${name}: ${i.message.startsWith(`${name} `) ? i.message.slice(name.length + 1) : i.message}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];

  const hasId = e.HUBSPOT_CLIENT_ID !== undefined;
  const hasSecret = e.HUBSPOT_CLIENT_SECRET !== undefined;
  if (hasId !== hasSecret) {
    problems.push(
      `${hasId ? 'HUBSPOT_CLIENT_SECRET' : 'HUBSPOT_CLIENT_ID'}: set both HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET (from your app's Auth tab in HubSpot) for production, or neither for the local sandbox`,
    );
  }
  const mode: Mode = hasId && hasSecret ? 'production' : 'sandbox';

  let tokenEncryptionKey: Buffer | undefined;
  if (e.TOKEN_ENCRYPTION_KEY !== undefined) {
    tokenEncryptionKey = decodeEncryptionKey(e.TOKEN_ENCRYPTION_KEY);
    if (!tokenEncryptionKey) problems.push(`TOKEN_ENCRYPTION_KEY: ${KEY_HINT}`);
  } else if (mode === 'production') {
    problems.push(`TOKEN_ENCRYPTION_KEY: required when HubSpot credentials are set; it ${KEY_HINT}`);
  }

  let publicBaseUrl = e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`;
  try {
    const u = new URL(publicBaseUrl);
    if (u.pathname !== '/' || u.search || u.hash) {
      problems.push('PUBLIC_BASE_URL: give only the origin (scheme, host and port), e.g. https://tossup.example.com');
    }
    publicBaseUrl = u.origin;
  } catch {
    problems.push('PUBLIC_BASE_URL: must be an absolute URL such as https://tossup.example.com');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    mode,
    port: e.PORT,
    publicBaseUrl,
    redirectUri: `${publicBaseUrl}/oauth/callback`,
    hubspot: {
      clientId: e.HUBSPOT_CLIENT_ID,
      clientSecret: e.HUBSPOT_CLIENT_SECRET,
      appId: e.HUBSPOT_APP_ID,
      apiBaseUrl: e.HUBSPOT_API_BASE_URL.replace(/\/+$/, ''),
    },
    databaseUrl: e.DATABASE_URL,
    tokenEncryptionKey,
    logLevel: e.LOG_LEVEL,
    dataDir: e.TOSSUP_DATA_DIR,
    sandboxPort: e.SANDBOX_PORT,
    metricsToken: e.METRICS_TOKEN,
    role: e.TOSSUP_ROLE,
  };
}
