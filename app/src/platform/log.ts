import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out before a line is written: OAuth tokens, the client
 * secret, signatures and Authorization headers never reach a log.
 */
export const REDACTED_PATHS = [
  'access_token',
  'refresh_token',
  'accessToken',
  'refreshToken',
  'client_secret',
  'clientSecret',
  'code',
  'token',
  '*.access_token',
  '*.refresh_token',
  '*.accessToken',
  '*.refreshToken',
  '*.client_secret',
  '*.clientSecret',
  '*.token',
  'req.headers.authorization',
  'req.headers["x-hubspot-signature-v3"]',
  'req.headers["x-hubspot-signature"]',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
];

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const opts: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: 'tossup' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
