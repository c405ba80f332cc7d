/**
 * The full-portal impact run end to end on the sandbox (issue 16): on a portal larger
 * than the settings preview's sample of 200, a super admin starts 「全件で試算」 for a
 * looser MQL rule through the signed card API; the worker's runner (driven here, as
 * the worker loop would) pages every contact read-only; the run's counts are those of
 * the sample path's own counting (previewSettingsChange + impactOfChange) over all
 * contacts, and HubSpot received no write.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettingsImpactRunAnswer, SettingsPreviewView } from '@tossup/shared/card-dto';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';
import { evaluateContact } from '../../src/domain/evaluate';
import { impactOfChange } from '../../src/domain/settings-impact';
import { previewSettingsChange } from '../../src/domain/settings-preview';
import { loadPortalSettings } from '../../src/storage/portal-settings-store';
import { PREVIEW_SAMPLE_SIZE } from '../../src/card-api/card-api-router';
import { startSandboxBackend, type SandboxBackend } from '../card-api/sandbox-backend';

let h: SandboxBackend;
let adminUserId: number;
const ADDED = 190;

function data<T>(res: { status: number; json: unknown; text?: string }): T {
  const { appStatus, body } = readProxyAnswer(res.status, res.json);
  const b = body as { ok: boolean; data: T };
  if (appStatus !== 200 || !b.ok) throw new Error(`expected an ok answer, got ${appStatus}: ${JSON.stringify(res.json)}`);
  return b.data;
}

beforeAll(async () => {
  h = await startSandboxBackend();
  adminUserId = h.portal().owners.find((o) => o.superAdmin && !o.archived)!.userId;
  // The seed's 60 contacts and 190 more: larger than the preview's sample.
  for (let i = 0; i < ADDED; i++) {
    h.sandbox.scenario.createContact({ properties: { firstname: `花子${i}`, lastname: '佐藤', email: `hanako${i}@example.co.jp`, jobtitle: i % 3 ? '主任' : '部長' } });
  }
  h.step();
});
afterAll(() => h?.close());

describe('full-portal impact run (sandbox)', () => {
  it('counts every contact like the sample path would, with progress, read-only', async () => {
    const portalId = String(h.sandbox.portalId);
    const published = await loadPortalSettings(h.backend.runtime.db, portalId);
    // The draft: MQL as soon as the score is 0 — every new contact would become MQL with a task for IS.
    const draft: PortalSettings = { ...structuredClone(published), rules: { ...published.rules, mql: { type: 'compare', fact: 'score', op: 'gte', value: 0 } } };
    const call = async <T,>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: Record<string, unknown>) =>
      data<T>(await h.sandbox.cardFetch({ path, method, userId: adminUserId, ...(body ? { body } : {}) }));

    const preview = await call<SettingsPreviewView>('POST', '/api/v1/settings/preview', { settings: draft });
    const total = Object.keys(h.portal().objects.contacts).length;
    expect(total).toBeGreaterThan(PREVIEW_SAMPLE_SIZE);
    expect(preview).toMatchObject({ truncated: true, sample: { size: PREVIEW_SAMPLE_SIZE, total } });

    h.step();
    const started = await call<SettingsImpactRunAnswer>('POST', '/api/v1/settings/impact-runs', { idempotencyKey: `e2e-${randomBytes(8).toString('hex')}`, settings: draft });
    expect(started).toMatchObject({ created: true, run: { status: 'pending', phase: 'queued' } });
    const again = await call<SettingsImpactRunAnswer>('POST', '/api/v1/settings/impact-runs', { idempotencyKey: `e2e-${randomBytes(8).toString('hex')}`, settings: published });
    expect(again).toMatchObject({ created: false, run: { id: started.run!.id } });

    h.step();
    h.sandbox.resetStats();
    const services = h.backend.services!;
    expect(await services.impactRuns.runDue()).toBe(1);

    const latest = await call<SettingsImpactRunAnswer>('GET', '/api/v1/settings/impact-runs/latest');
    const run = latest.run!;
    expect(run).toMatchObject({ id: started.run!.id, status: 'done', phase: 'finished', total, read: total, evaluated: total, pagesDone: Math.ceil(total / 100), truncated: false, error: null, canCancel: false });

    // The sample path's counting, over all contacts at once.
    const ids = Object.keys(h.portal().objects.contacts);
    const snapshots = [...(await services.snapshots.load(portalId, ids)).values()];
    const directory = await services.snapshots.directory(portalId);
    const input = { snapshots, current: published, edited: draft, directory, now: h.clock.now() };
    const expected = previewSettingsChange(input, evaluateContact);
    const impact = impactOfChange(input, evaluateContact);
    expect(expected.changed).toBeGreaterThan(PREVIEW_SAMPLE_SIZE); // more than a sample could have shown
    expect(impact.mqlTasks).toBeGreaterThan(PREVIEW_SAMPLE_SIZE);
    expect({ changed: run.changed, transitions: run.transitions }).toEqual({ changed: expected.changed, transitions: expected.transitions });
    expect({ handoffs: run.impact.handoffs, byRep: run.impact.handoffTasksByRep.map((r) => [r.ownerId, r.count]), mqlTasks: run.impact.mqlTasks, stageMoves: run.impact.stageMoves }).toEqual({
      handoffs: impact.handoffs,
      byRep: impact.handoffTasksByRep.map((r) => [r.ownerId, r.count]),
      mqlTasks: impact.mqlTasks,
      stageMoves: impact.stageMoves,
    });

    // Read-only: every call the run made to HubSpot was a read (GET, search, batch read).
    const endpoints = Object.keys(h.sandbox.stats().portals[portalId]?.endpoints ?? {});
    expect(endpoints.length).toBeGreaterThan(0);
    expect(endpoints.filter((e) => !/^GET |\/search$|\/batch\/read$/.test(e))).toEqual([]);
    expect(Object.values(h.portal().objects.tasks ?? {})).toHaveLength(0);

    // Cancelling a finished run changes nothing.
    const cancelled = await call<SettingsImpactRunAnswer>('DELETE', `/api/v1/settings/impact-runs/${run.id}`);
    expect(cancelled.run).toMatchObject({ status: 'done' });
  });
});
