/**
 * appId on card requests: HubSpot's ProxyMetadata lists only userEmail, userId and
 * portalId, so a signed request without appId is answered; one naming another app
 * (or several) is refused even when correctly signed.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/platform/clock';
import { loadConfig } from '../../src/platform/config';
import { signV3 } from '../../src/platform/hubspot-signature';
import { createVerifyCardRequest, rawBody, verifiedLocals } from '../../src/card-api/verify-card-request';
import { PORTAL, PUBLIC_BASE_URL, SECRET, T0 } from './card-api-test-kit';

const APP_ID = '39594762';
let server: Server;
let origin: string;

beforeAll(async () => {
  const config = loadConfig({
    HUBSPOT_CLIENT_ID: 'client-id',
    HUBSPOT_CLIENT_SECRET: SECRET,
    HUBSPOT_APP_ID: APP_ID,
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    PUBLIC_BASE_URL,
    LOG_LEVEL: 'silent',
  });
  const app = express();
  app.use(rawBody, createVerifyCardRequest({ config, clock: createManualClock(T0), logger: pino({ level: 'silent' }) }));
  app.get('/api/v1/whoami', (_req, res) => {
    res.json({ ok: true, data: verifiedLocals(res).identity });
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A GET signed for exactly the query given. */
async function signedGet(query: string) {
  const path = `/api/v1/whoami?${query}`;
  const signature = signV3({ clientSecret: SECRET, method: 'GET', uri: `${PUBLIC_BASE_URL}${path}`, body: '', timestamp: T0 });
  const res = await fetch(`${origin}${path}`, { headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(T0) } });
  return { status: res.status, json: (await res.json()) as { ok: boolean; data?: { appId: string | null; portalId: string }; error?: { code: string } } };
}

describe('card requests and appId (HUBSPOT_APP_ID set)', () => {
  const base = `userId=9201&portalId=${PORTAL}&userEmail=is%40example.com`;

  it('answers a signed request without appId', async () => {
    const res = await signedGet(base);
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ portalId: PORTAL, appId: null });
  });

  it('answers a signed request with this app’s id', async () => {
    const res = await signedGet(`${base}&appId=${APP_ID}`);
    expect(res.status).toBe(200);
    expect(res.json.data?.appId).toBe(APP_ID);
  });

  it.each([
    ['another app’s id', `&appId=11111111`],
    ['two ids', `&appId=${APP_ID}&appId=11111111`],
  ])('refuses %s with 401 unauthorized, though correctly signed', async (_name, extra) => {
    const res = await signedGet(`${base}${extra}`);
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });
});
