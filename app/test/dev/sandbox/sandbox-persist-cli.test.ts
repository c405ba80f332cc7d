import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/platform/clock';
import { parseDuration, runCli } from '../../../dev/sandbox/cli';
import { createSandbox } from '../../../dev/sandbox/create-sandbox';

const START = Date.parse('2026-06-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'tossup-sandbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sandbox persistFile', () => {
  it('keeps portals, ids and refresh tokens across a restart', async () => {
    const file = join(dir, 'state.json');
    const clock = createManualClock(START);
    const first = await createSandbox({ clock, persistFile: file, rateLimit: false });
    const grant = first.issueTokens();
    const c1 = new Client({ accessToken: grant.access_token, basePath: first.url, numberOfApiCallRetries: 0 });
    const created = await c1.crm.contacts.basicApi.create({ properties: { email: 'persist@example.jp', jobtitle: '部長' }, associations: [] });
    const seed = first.seed;
    await first.close();

    const second = await createSandbox({ clock, persistFile: file, rateLimit: false });
    try {
      expect(second.portalId).toBe(first.portalId);
      expect(second.seed).toEqual(seed);
      const refreshed = await fetch(`${second.url}/oauth/2026-03/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: second.clientId, client_secret: second.clientSecret, refresh_token: grant.refresh_token }).toString(),
      });
      expect(refreshed.status).toBe(200);
      const c2 = new Client({ accessToken: ((await refreshed.json()) as { access_token: string }).access_token, basePath: second.url, numberOfApiCallRetries: 0 });
      const again = await c2.crm.contacts.basicApi.getById(created.id, ['jobtitle']);
      expect(again.properties.jobtitle).toBe('部長');
      const next = await c2.crm.contacts.basicApi.create({ properties: { email: 'persist2@example.jp' }, associations: [] });
      expect(Number(next.id)).toBeGreaterThan(Number(created.id));
    } finally {
      await second.close();
    }
  });
});

describe('sandbox time scale', () => {
  it('runs its own clock timeScale times faster and scales timers down', async () => {
    const s = await createSandbox({ timeScale: 1000, seed: false });
    try {
      const t0 = s.clock.now();
      await new Promise((r) => setTimeout(r, 25));
      // At least 25 real ms passed, so at least ~25 s of sandbox time (lower bound only).
      expect(s.clock.now() - t0).toBeGreaterThanOrEqual(20_000);
      expect(s.clock.toRealMs(10_000)).toBe(10);
      s.scenario.advanceClock(3_600_000);
      expect(s.clock.now() - t0).toBeGreaterThanOrEqual(3_600_000);
    } finally {
      await s.close();
    }
  });

  it('refuses to advance an injected clock that cannot move, with a hint', async () => {
    const s = await createSandbox({ clock: { now: () => START }, seed: false });
    try {
      expect(() => s.scenario.advanceClock(1000)).toThrow(/createManualClock/);
    } finally {
      await s.close();
    }
  });
});

describe('sandbox CLI', () => {
  it('parses durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1.5d')).toBe(129_600_000);
    expect(parseDuration('250')).toBe(250);
    expect(() => parseDuration('soon')).toThrow(/90s, 30m/);
  });

  it('acts as a person in a running sandbox over /__sandbox', async () => {
    const clock = createManualClock(START);
    const s = await createSandbox({ clock, rateLimit: false });
    try {
      const contactId = s.seed?.contactIds[4] as string;
      const url = ['--url', s.url];
      await runCli(['submit-form', '--contact', contactId, '--form', 'セミナー申込｜インサイドセールス実践セミナー', ...url]);
      await runCli(['open-email', '--contact', contactId, '--count', '2', ...url]);
      await runCli(['advance', '3h', ...url]);
      await runCli(['lead-status', '--contact', contactId, '--status', 'CONNECTED', ...url]);
      const c = s.portal().objects.contacts[contactId];
      expect(c?.properties).toMatchObject({ num_conversion_events: '1', recent_conversion_event_name: 'セミナー申込｜インサイドセールス実践セミナー', hs_email_open: '2', hs_lead_status: 'CONNECTED' });
      expect(clock.now()).toBe(START + 3 * 3_600_000);
      await expect(runCli(['set', '--id', contactId, 'no_such_property=1', ...url])).rejects.toThrow(/PROPERTY_DOESNT_EXIST/);
      await expect(runCli(['submit-form', '--form', 'x', ...url])).rejects.toThrow(/contactId or email/);
      const stats = (await runCli(['stats', ...url])) as { webhooks: { eventsQueued: number } };
      expect(stats.webhooks.eventsQueued).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  });
});
