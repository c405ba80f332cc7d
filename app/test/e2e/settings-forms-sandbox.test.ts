/**
 * The settings page's list of the portal's forms, end to end on the sandbox: with the
 * optional `forms` scope granted it is the Forms API's list (the sandbox's seeded forms);
 * with the scope denied (403 MISSING_SCOPES) it falls back to the titles the app has
 * recorded from submissions, says why, and the settings page warns about the scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettingsFormsView, SettingsView } from '@tossup/shared/card-dto';
import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';
import { appendLedgerEntries } from '../../src/storage/signal-ledger-store';
import { startSandboxBackend, type SandboxBackend } from '../card-api/sandbox-backend';

let h: SandboxBackend;
let adminUserId: number;

function data<T>(res: { status: number; json: unknown }): T {
  const { appStatus, body } = readProxyAnswer(res.status, res.json);
  const b = body as { ok: boolean; data: T };
  if (appStatus !== 200 || !b.ok) throw new Error(`expected an ok answer, got ${appStatus}: ${JSON.stringify(res.json)}`);
  return b.data;
}

beforeAll(async () => {
  h = await startSandboxBackend();
  adminUserId = h.portal().owners.find((o) => o.superAdmin && !o.archived)!.userId;
});
afterAll(() => h?.close());

describe('portal forms on the settings page (sandbox)', () => {
  it('lists the Forms API forms, then the seen titles once the forms scope is denied', async () => {
    const get = async <T,>(path: string) => data<T>(await h.sandbox.cardFetch({ path, userId: adminUserId }));
    const seeded = h.portal().forms.map((f) => f.name).sort();
    expect(seeded.length).toBeGreaterThan(0);

    const live = await get<SettingsFormsView>('/api/v1/settings/forms');
    expect(live.source).toBe('hubspot');
    expect(live.forms.map((f) => f.title).sort()).toEqual(seeded);
    expect(live.forms.every((f) => typeof f.id === 'string' && f.submissions === 0)).toBe(true);

    const portalId = String(h.sandbox.portalId);
    await appendLedgerEntries(h.backend.runtime.db, portalId, '1', [{ signalKey: 'form:seen', kind: 'form_submission', occurredAt: 1, details: { title: seeded[0]! } }], 1);
    const res = await fetch(`${h.sandbox.url}/__sandbox/portals/${portalId}/denied-scopes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'forms' }) });
    expect(res.status).toBe(200);

    const fallback = await get<SettingsFormsView>('/api/v1/settings/forms');
    expect(fallback).toEqual({ source: 'seen', reason: 'missing_scope', forms: [{ title: seeded[0], submissions: 1 }] });
    const settings = await get<SettingsView>('/api/v1/settings');
    expect(settings.missingScopes).toContain('forms');
  });
});
