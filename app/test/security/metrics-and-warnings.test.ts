/**
 * Finding 7: /metrics was public in production, and every rejected request wrote
 * one warning line. Now /metrics needs Authorization: Bearer METRICS_TOKEN in
 * production (404 when no token is configured; open in sandbox mode), and rejection
 * warnings are rate-limited into periodic summaries (app/src/platform/warning-summary.ts).
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { bootBackend, type BootedBackend } from '../../../test/kit/boot-backend';
import { createManualClock } from '../../src/platform/clock';
import { createDatabase } from '../../src/storage/database';
import { migrate } from '../../src/storage/migrate';
import { postWebhook, startWebhookServer, testContext } from '../webhooks/webhook-test-kit';
import { DEFAULT_WARNING_INTERVAL_MS } from '../../src/platform/warning-summary';
import { PRODUCTION_ENV, T0 } from './security-kit';

const TOKEN = 'metrics-token-0123456789abcdef';
let h: BootedBackend | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('/metrics', () => {
  it('production without METRICS_TOKEN: 404', async () => {
    h = await bootBackend({ env: PRODUCTION_ENV, now: T0 });
    expect((await fetch(`${h.base}/metrics`)).status).toBe(404);
  });

  it('production with METRICS_TOKEN: 401 without or with a wrong bearer, 200 with it', async () => {
    h = await bootBackend({ env: { ...PRODUCTION_ENV, METRICS_TOKEN: TOKEN }, now: T0 });
    expect((await fetch(`${h.base}/metrics`)).status).toBe(401);
    expect((await fetch(`${h.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    const ok = await fetch(`${h.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('tossup_');
  });

  it('sandbox mode: open', async () => {
    h = await bootBackend({ env: { HUBSPOT_CLIENT_ID: '' }, now: T0 });
    expect((await fetch(`${h.base}/metrics`)).status).toBe(200);
  });
});

describe('rejection warnings', () => {
  it('200 unsigned webhook requests write a bounded number of lines, then one summary', async () => {
    const lines: { msg: string; suppressed?: number }[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(JSON.parse(chunk.toString()) as { msg: string }), cb()) }));
    const db = await createDatabase({ kind: 'pglite' });
    await migrate(db);
    const clock = createManualClock(T0);
    const server = await startWebhookServer({ ...testContext(db, { clock }), logger });
    try {
      for (let i = 0; i < 200; i++) await postWebhook(server, '[]', { 'content-type': 'application/json' });
      await new Promise((r) => setTimeout(r, 50));
      const during = lines.length;
      clock.advance(DEFAULT_WARNING_INTERVAL_MS);
      await postWebhook(server, '[]', { 'content-type': 'application/json' });
      await new Promise((r) => setTimeout(r, 50));
      process.stdout.write(`warnings: 200 unsigned requests → ${during} line(s); after the interval ${lines.length - during} more (summary ${lines.find((l) => l.suppressed)?.suppressed ?? 0} suppressed)\n`);
      expect(during).toBeLessThanOrEqual(2);
      expect(lines.some((l) => l.suppressed === 199)).toBe(true);
    } finally {
      await server.close();
      await db.close();
    }
  });
});
