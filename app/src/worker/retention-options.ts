import { ConfigError } from '../platform/config';

/**
 * How long tossup keeps what it no longer needs (retention-job.ts), from the
 * environment (README, "Configuration"). Every value is a number, fractions allowed;
 * unset or empty takes the default.
 */
export interface RetentionOptions {
  /** Processed inbox events lose their payload (property values, i.e. personal data) after this. */
  inboxPayloadMs: number;
  /** Processed inbox events are deleted after this (their key protects against redeliveries until then). */
  inboxRowMs: number;
  /** Stored card-API answers (idempotency keys) are deleted after this; hubspot.fetch retries within seconds. */
  idempotencyMs: number;
  /** Waiting events of uninstalled or never-installed portals are dropped after this. */
  absentPortalMs: number;
  /** How often the job runs. */
  intervalMs: number;
  /** Rows per statement, so retention never holds long locks on tables the webhooks write. */
  batchRows: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const VARIABLES: { name: string; key: keyof RetentionOptions; unitMs: number; unit: string; fallback: number }[] = [
  { name: 'TOSSUP_RETENTION_INBOX_PAYLOAD_DAYS', key: 'inboxPayloadMs', unitMs: DAY, unit: 'days', fallback: 1 },
  { name: 'TOSSUP_RETENTION_INBOX_DAYS', key: 'inboxRowMs', unitMs: DAY, unit: 'days', fallback: 7 },
  { name: 'TOSSUP_RETENTION_IDEMPOTENCY_HOURS', key: 'idempotencyMs', unitMs: HOUR, unit: 'hours', fallback: 24 },
  { name: 'TOSSUP_RETENTION_ABSENT_PORTAL_DAYS', key: 'absentPortalMs', unitMs: DAY, unit: 'days', fallback: 3 },
  { name: 'TOSSUP_RETENTION_INTERVAL_MINUTES', key: 'intervalMs', unitMs: 60_000, unit: 'minutes', fallback: 60 },
];

export const DEFAULT_RETENTION_OPTIONS: RetentionOptions = {
  ...(Object.fromEntries(VARIABLES.map((v) => [v.key, v.fallback * v.unitMs])) as Omit<RetentionOptions, 'batchRows'>),
  batchRows: 5_000,
};

export function retentionOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RetentionOptions {
  const out: RetentionOptions = { ...DEFAULT_RETENTION_OPTIONS };
  const problems: string[] = [];
  for (const v of VARIABLES) {
    const raw = env[v.name]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) problems.push(`${v.name}: must be a positive number of ${v.unit} (default ${v.fallback}), e.g. ${v.name}=${v.fallback}`);
    else out[v.key] = n * v.unitMs;
  }
  if (out.inboxPayloadMs > out.inboxRowMs) {
    problems.push('TOSSUP_RETENTION_INBOX_PAYLOAD_DAYS: must not exceed TOSSUP_RETENTION_INBOX_DAYS (payloads go first, rows later)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}
