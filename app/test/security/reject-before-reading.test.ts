/**
 * Finding 3: strangers were expensive — bodies read before verifying, a declared
 * 50 MiB Content-Length read in full before the 413, slow bodies held open, Node's
 * 300 s request timeout. Now the headers are judged first and the connection is
 * closed after the answer (app/src/platform/reject-before-reading.ts), and the
 * server's timeouts and connection cap are set where it is created
 * (app/src/platform/server-limits.ts). Figures are printed; assertions only say it
 * answers (well inside the time the body would need) and closes.
 */
import { connect, type Socket } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/composition/create-backend';
import { createManualClock } from '../../src/platform/clock';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/log';
import { SERVER_LIMITS } from '../../src/platform/server-limits';
import { createDatabase, type Database } from '../../src/storage/database';
import { PRODUCTION_ENV, T0 } from './security-kit';

let backend: Backend;
let db: Database;
let port: number;

beforeAll(async () => {
  // nock's interceptor holds a raw socket's request until its declared body is complete,
  // which is exactly what this suite must not do; loopback only, so it is switched off here.
  nock.restore();
  db = await createDatabase({ kind: 'pglite' });
  const config = loadConfig({ ...PRODUCTION_ENV, HUBSPOT_CLIENT_ID: 'client-id', TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 4).toString('base64'), LOG_LEVEL: 'silent' });
  backend = await createBackend(config, { clock: createManualClock(T0), db, wire: false, logger: createLogger({ level: 'silent' }) });
  ({ port } = await backend.listen(0));
});
afterAll(async () => {
  await backend.close();
  await db.close();
  nock.activate();
});

interface RawAnswer {
  status: number;
  ms: number;
  closed: boolean;
}

/** Sends headers, then the body `bodyBytes` one 1 KiB chunk per `everyMs` until the server answers and closes. */
function rawRequest(path: string, headers: Record<string, string>, declaredLength: number, everyMs: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    let status = 0;
    socket.on('data', (d) => {
      text += d.toString('latin1');
      status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ status, ms: performance.now() - started, closed: true });
    });
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`no answer within 10 s; got ${JSON.stringify(text.slice(0, 200))}`));
    }, 10_000).unref();
    const head = Object.entries({ host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'content-length': String(declaredLength), ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n\r\n`);
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= declaredLength || socket.destroyed) return clearInterval(timer);
      const n = Math.min(1024, declaredLength - sent);
      socket.write(Buffer.alloc(n, 0x20));
      sent += n;
    }, everyMs);
  });
}

describe('strangers are answered from the headers', () => {
  it('a declared 50 MiB body and a slow unsigned body get their answer at once and a closed connection', async () => {
    const huge = await rawRequest('/webhooks/hubspot', {}, 50 * 1024 * 1024, 1);
    // 30 KiB at 1 KiB per 100 ms would take 3 s to send.
    const slowWebhook = await rawRequest('/webhooks/hubspot', {}, 30 * 1024, 100);
    const slowCard = await rawRequest('/api/v1/contacts/1/handoff?portalId=1&userId=1', { 'x-hubspot-signature-v3': 'x', 'x-hubspot-request-timestamp': '1' }, 30 * 1024, 100);
    process.stdout.write(`reject-before-reading: 50 MiB declared → ${huge.status} in ${huge.ms.toFixed(0)} ms; slow webhook → ${slowWebhook.status} in ${slowWebhook.ms.toFixed(0)} ms; slow card → ${slowCard.status} in ${slowCard.ms.toFixed(0)} ms\n`);
    expect(huge).toMatchObject({ status: 413, closed: true });
    expect(slowWebhook).toMatchObject({ status: 401, closed: true });
    expect(slowCard).toMatchObject({ status: 401, closed: true });
    for (const a of [huge, slowWebhook, slowCard]) expect(a.ms).toBeLessThan(2_000);
  });

  it('the server has a request timeout, a headers timeout, a keep-alive timeout and a connection cap', async () => {
    const { server } = await backend.listen(0);
    try {
      expect({ requestTimeout: server.requestTimeout, headersTimeout: server.headersTimeout, keepAliveTimeout: server.keepAliveTimeout, maxConnections: server.maxConnections }).toEqual({
        requestTimeout: SERVER_LIMITS.requestTimeoutMs,
        headersTimeout: SERVER_LIMITS.headersTimeoutMs,
        keepAliveTimeout: SERVER_LIMITS.keepAliveTimeoutMs,
        maxConnections: SERVER_LIMITS.maxConnections,
      });
      expect(server.requestTimeout).toBeLessThan(300_000);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
