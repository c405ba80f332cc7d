import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { pino } from 'pino';
import { createManualClock, type ManualClock } from '../../src/platform/clock';
import { loadConfig } from '../../src/platform/config';
import type { WebhookRouterDeps } from '../../src/webhooks/webhook-router';
import { createMetrics } from '../../src/platform/metrics';
import type { Database } from '../../src/storage/database';
import { createWebhookRouter, type WebhookRouterOptions } from '../../src/webhooks/webhook-router';
import { postWebhookBatch, signedWebhookHeaders, type Answer } from '../../../test/kit/signed-webhook';

export const SECRET = 'test-client-secret-0000';
export const PUBLIC_BASE_URL = 'https://tossup.example.com';
export const APP_ID = '39594762';
export const NOW = 1_700_000_010_000;

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/webhooks');

/** A fixture's bytes exactly as stored. */
export function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

export function testContext(db: Database, overrides: { appId?: string | null; clock?: ManualClock } = {}): WebhookRouterDeps & { clock: ManualClock } {
  const config = loadConfig({
    HUBSPOT_CLIENT_ID: 'client-id',
    HUBSPOT_CLIENT_SECRET: SECRET,
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    PUBLIC_BASE_URL,
    ...(overrides.appId === null ? {} : { HUBSPOT_APP_ID: overrides.appId ?? APP_ID }),
    LOG_LEVEL: 'silent',
  });
  return {
    config,
    db,
    clock: overrides.clock ?? createManualClock(NOW),
    logger: pino({ level: 'silent' }),
    metrics: createMetrics({ defaultMetrics: false }),
  };
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Only the webhook router, on an ephemeral port, behind the same mount path as create-app. */
export async function startWebhookServer(ctx: WebhookRouterDeps, options?: WebhookRouterOptions): Promise<TestServer> {
  const app = express();
  app.use('/webhooks', createWebhookRouter(ctx, options));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Signed like HubSpot's sender, with this suite's secret, URL and clock unless told otherwise. */
export function signedHeaders(body: Buffer | string, opts: { timestamp?: number | string; uri?: string; secret?: string } = {}): Record<string, string> {
  return signedWebhookHeaders(body, { clientSecret: opts.secret ?? SECRET, uri: opts.uri ?? `${PUBLIC_BASE_URL}/webhooks/hubspot`, timestamp: opts.timestamp ?? NOW });
}

export function postWebhook(server: TestServer, body: Buffer | string, headers: Record<string, string>, pathAndQuery = '/webhooks/hubspot'): Promise<Answer> {
  return postWebhookBatch(server.url + pathAndQuery, body, headers);
}
