import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { createImpactRunStore } from '../../src/storage/job-store';
import { DEFAULT_IMPACT_RUNNER_OPTIONS } from '../../src/worker/impact-runner';
import { bootBackend, type BootedBackend } from '../../../test/kit/boot-backend';

/**
 * TOSSUP_ROLE (README, "Deployment"): web serves HTTP and runs no background job;
 * worker runs the jobs and serves only the probes; all (the default) does both.
 * The scale-out test (app/test/e2e/scale-out.test.ts) runs two of each against one database.
 */
const NOW = 1_700_000_000_000;
const ENV = { HUBSPOT_CLIENT_SECRET: 'roles-secret', PUBLIC_BASE_URL: 'https://tossup.example.com' };

let booted: BootedBackend | undefined;
afterEach(async () => {
  await booted?.close();
  booted = undefined;
});

/** The worker sets the inbox depth gauge after every drain; it stays unset where no worker runs. */
async function workerDrained(b: BootedBackend): Promise<boolean> {
  await new Promise((r) => setTimeout(r, 400));
  const text = await b.backend.runtime.metrics.registry.metrics();
  return /^tossup_inbox_depth\{status="pending"\} \d+/m.test(text);
}

/** A full-portal impact run queued for an active install: does this process pick it up? (Without a token it then fails honestly.) */
async function impactRunPickedUp(b: BootedBackend): Promise<boolean> {
  const db = b.backend.runtime.db;
  await db.query(`insert into installs (portal_id, status, installed_at, updated_at) values (4242, 'active', 0, 0) on conflict do nothing`);
  const store = createImpactRunStore(db);
  const { run } = await store.start('4242', { draft: DEFAULT_SETTINGS, published: DEFAULT_SETTINGS, publishedVersion: null, publishedToken: 0, draftFingerprint: 'aaaaaaaa', requestedBy: null, limit: 10 }, NOW);
  await new Promise((r) => setTimeout(r, DEFAULT_IMPACT_RUNNER_OPTIONS.pollMs + 1_500));
  return (await store.get('4242', run.id))!.status !== 'pending';
}

describe('process roles', () => {
  it('defaults to all and refuses an unknown role with the accepted values', () => {
    expect(loadConfig({}).role).toBe('all');
    expect(loadConfig({ TOSSUP_ROLE: 'worker' }).role).toBe('worker');
    expect(() => loadConfig({ TOSSUP_ROLE: 'cron' })).toThrow(ConfigError);
    try {
      loadConfig({ TOSSUP_ROLE: 'cron' });
    } catch (err) {
      expect((err as ConfigError).problems.join('\n')).toContain('TOSSUP_ROLE: must be one of web, worker, all');
    }
  });

  it('web: serves webhooks, the card API and OAuth, and runs no inbox worker', async () => {
    booted = await bootBackend({ now: NOW, env: { ...ENV, TOSSUP_ROLE: 'web' }, wire: { pollIntervalMs: 20 } });
    expect((await fetch(`${booted.base}/webhooks/hubspot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })).status).toBe(401);
    expect((await fetch(`${booted.base}/oauth/install`, { redirect: 'manual' })).status).not.toBe(404);
    // Mounted: an unsigned card request is refused, not unknown.
    expect((await fetch(`${booted.base}/api/v1/nothing-here`)).status).toBe(401);
    expect((await fetch(`${booted.base}/readyz`)).status).toBe(200);
    expect(await workerDrained(booted)).toBe(false);
    expect(await impactRunPickedUp(booted)).toBe(false);
  }, 90_000); // boots a backend on a fresh embedded database: ~15–30 s on 2 busy cores

  it('worker: drains the inbox and serves only the probes and /metrics', async () => {
    booted = await bootBackend({ now: NOW, env: { ...ENV, TOSSUP_ROLE: 'worker' }, wire: { pollIntervalMs: 20 } });
    expect((await fetch(`${booted.base}/healthz`)).status).toBe(200);
    expect((await fetch(`${booted.base}/readyz`)).status).toBe(200);
    expect((await fetch(`${booted.base}/webhooks/hubspot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })).status).toBe(404);
    expect((await fetch(`${booted.base}/oauth/install`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${booted.base}/api/v1/nothing-here`)).status).toBe(404);
    expect(await workerDrained(booted)).toBe(true);
    expect(await impactRunPickedUp(booted)).toBe(true);
  }, 90_000); // boots a backend on a fresh embedded database: ~15–30 s on 2 busy cores

  it('all: both', async () => {
    booted = await bootBackend({ now: NOW, env: ENV, wire: { pollIntervalMs: 20 } });
    expect((await fetch(`${booted.base}/webhooks/hubspot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })).status).toBe(401);
    expect(await workerDrained(booted)).toBe(true);
  }, 90_000); // boots a backend on a fresh embedded database: ~15–30 s on 2 busy cores
});
