/**
 * The sandbox's cardFetch answers like HubSpot's proxy (docs/card-api-errors.md,
 * after AppProxyService in @hubspot/ui-extensions-dev-server 2.1.2), so tests and
 * /preview/live/ see what real cards see: < 300 passes with a success envelope,
 * ≥ 300 and failures become HTTP 200 BAD_GATEWAY envelopes, and a header other
 * than Authorization is refused before the app is called.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';
import { createManualClock } from '../../../src/platform/clock';
import { createSandbox, type Sandbox } from '../../../dev/sandbox/create-sandbox';

const PUBLIC = 'https://tossup.example.com';

/** The app's next answers: a status and JSON body, raw text, or no answer at all. */
type Scripted = { status: number; body?: unknown; text?: string } | 'hang';

let server: Server;
let sandbox: Sandbox;
let script: Scripted[] = [];
const seen: { path: string; headers: Record<string, unknown> }[] = [];

beforeAll(async () => {
  const app = express();
  app.use((req, res) => {
    seen.push({ path: req.path, headers: req.headers });
    const next = script.shift() ?? { status: 200, body: { ok: true, data: {} } };
    if (next === 'hang') return;
    if (next.text !== undefined) res.status(next.status).type('text/plain').send(next.text);
    else res.status(next.status).json(next.body);
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sandbox = await createSandbox({ clock: createManualClock(Date.parse('2026-06-01T00:00:00Z')), rateLimit: false, appBaseUrl: base, appPublicBaseUrl: PUBLIC });
});

afterAll(async () => {
  await sandbox?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

beforeEach(() => {
  script = [];
  seen.length = 0;
});

const forbidden = { ok: false, error: { code: 'forbidden', message_ja: '権限がありません', message_en: 'Not allowed' } };

describe('sandbox cardFetch answers like HubSpot’s proxy', () => {
  it('status < 300: that status with { status: success, responseBody, context }', async () => {
    script = [{ status: 200, body: forbidden }];
    const res = await sandbox.cardFetch({ path: '/api/v1/contacts/1/handoff', userId: 1 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      status: 'success',
      responseBody: forbidden,
      context: { appServerStatusCode: ['200'], httpMethod: ['GET'], portalId: [String(sandbox.portalId)], requestUri: [`${PUBLIC}/api/v1/contacts/1/handoff`] },
    });
    expect(readProxyAnswer(res.status, res.json)).toEqual({ appStatus: 200, body: forbidden });
  });

  it.each([401, 403, 404, 409, 422])('status %i: HTTP 200 with the BAD_GATEWAY error envelope carrying our body', async (status) => {
    script = [{ status, body: forbidden }];
    const res = await sandbox.cardFetch({ path: '/api/v1/contacts/1/handoff', method: 'POST', body: { idempotencyKey: 'k' }, userId: 1 });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(1);
    expect(res.json).toMatchObject({
      status: 'error',
      category: 'BAD_GATEWAY',
      message: 'Error returned from Request Uri',
      responseBody: forbidden,
      errors: [{ message: `Unacceptable HTTP status ${status} calling ${PUBLIC}/api/v1/contacts/1/handoff` }],
      context: { appServerStatusCode: [String(status)], httpMethod: ['POST'] },
    });
    expect(readProxyAnswer(res.status, res.json)).toEqual({ appStatus: status, body: forbidden });
  });

  it('a 5xx is retried once, then wrapped; a non-JSON answer is passed on as text', async () => {
    script = [{ status: 503, text: 'down' }, { status: 503, text: 'still down' }];
    const res = await sandbox.cardFetch({ path: '/api/v1/settings', userId: 1 });
    expect(res).toMatchObject({ status: 200, attempts: 2, json: { status: 'error', responseBody: 'still down', context: { appServerStatusCode: ['503'] } } });
    expect(seen).toHaveLength(2);
  });

  it('a timeout (after its retry) is a 504 error envelope without a responseBody', async () => {
    script = ['hang', 'hang'];
    const res = await sandbox.cardFetch({ path: '/api/v1/settings', userId: 1, timeoutMs: 150 });
    expect(res).toMatchObject({ status: 200, attempts: 2, json: { status: 'error', category: 'BAD_GATEWAY', context: { appServerStatusCode: ['504'] } } });
    expect(res.json).not.toHaveProperty('responseBody');
    expect(readProxyAnswer(res.status, res.json)).toEqual({ appStatus: 504, body: undefined });
  });

  it('only the Authorization header may be sent (400 VALIDATION_ERROR, the app is not called)', async () => {
    const refused = await sandbox.cardFetch({ path: '/api/v1/settings', userId: 1, headers: { 'X-Custom': '1' } });
    expect(refused).toMatchObject({ status: 400, json: { status: 'error', category: 'VALIDATION_ERROR' } });
    expect(seen).toHaveLength(0);
    const allowed = await sandbox.cardFetch({ path: '/api/v1/settings', userId: 1, headers: { Authorization: 'Bearer t' } });
    expect(allowed.status).toBe(200);
    expect(seen[0]?.headers.authorization).toBe('Bearer t');
  });
});
