/**
 * The card API end to end on the local HubSpot sandbox with the real backend:
 * OAuth install, the gateway, the engine, the shared applier and the signed card
 * routes, driven with sandbox.cardFetch exactly as hubspot.fetch calls them from
 * a card. Expectations come from the sandbox's own state (its seed and the objects
 * it holds afterwards), not from our code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, HandoffView, MutationView, SettingsPreviewView, SettingsView, TimelineView } from '@tossup/shared/card-dto';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';
import { createPreviewRouter } from '../../dev/preview/preview-router';
import { signV3 } from '../../src/platform/hubspot-signature';
import type { StoredObject } from '../../dev/sandbox/portal-state';
import { publishSettings, startSandboxBackend, type SandboxBackend } from '../card-api/sandbox-backend';

let h: SandboxBackend;

// The story's cast, from the sandbox seed.
let contactId: string;
let companyId: string;
let dealId: string;
let isOwnerId: string;
let isUserId: number;
let salesUserId: number;
let repOwnerId: string;
let repUserId: number;
let adminUserId: number;

const KEY = 'toss-up-e2e-0000000001';

/** The app's answer inside HubSpot's proxy envelope, read as the card client reads it. */
function answer<T = unknown>(res: { status: number; json: unknown }): { appStatus: number; body: ApiResult<T> } {
  const { appStatus, body } = readProxyAnswer(res.status, res.json);
  return { appStatus, body: body as ApiResult<T> };
}

function data<T>(res: { status: number; json: unknown }): T {
  const { appStatus, body } = answer<T>(res);
  if (appStatus !== 200 || !body.ok) throw new Error(`expected an ok answer, got ${appStatus}: ${JSON.stringify(res.json)}`);
  return body.data;
}

function associated(fromType: string, fromId: string, toType: string): string[] {
  const links = h.portal().associations[`${fromType}:${fromId}`] ?? {};
  return Object.entries(links)
    .filter(([k, l]) => k.startsWith(`${toType}:`) && l.length > 0)
    .map(([k]) => k.slice(toType.length + 1));
}

function tasksOfContact(): StoredObject[] {
  return Object.values(h.portal().objects.tasks).filter((t) => !t.archived && associated('tasks', t.id, 'contacts').includes(contactId));
}

const contactProps = () => h.portal().objects.contacts[contactId]!.properties;

beforeAll(async () => {
  h = await startSandboxBackend({
    extraMounts: ({ config, clock, sandbox }) => [{ path: '/preview', router: createPreviewRouter({ live: { config, clock, portalId: String(sandbox.portalId) } }) }],
  });
  // This test plays the toss-up button, so the admin turned automatic hand-off off: with it on
  // (the default), the BANT save that completes the gate hands off by itself, credited to the
  // saver (app/test/e2e/reports-flow.test.ts).
  await publishSettings(h, (s) => {
    s.automaticHandoff = false;
  });
  const seed = h.sandbox.seed!;
  // Contact #4 works at company #4, which a field-sales owner owns, and has an open deal.
  contactId = seed.contactIds[4]!;
  companyId = seed.companyIds[4]!;
  dealId = seed.dealIds[2]!;
  expect(associated('deals', dealId, 'contacts')).toContain(contactId);
  repOwnerId = h.portal().objects.companies[companyId]!.properties.hubspot_owner_id!;
  // Routing rule (docs/product.md §5): the company owner, because that owner is in a Sales team.
  expect(seed.ownerIds.fieldSales).toContain(repOwnerId);
  repUserId = h.owner(repOwnerId).userId;
  isOwnerId = seed.ownerIds.insideSales[1]!;
  isUserId = h.owner(isOwnerId).userId;
  salesUserId = h.owner(seed.ownerIds.fieldSales.find((id) => id !== repOwnerId)!).userId;
  const admin = h.portal().owners.find((o) => o.superAdmin && !o.archived)!;
  adminUserId = admin.userId;

  // Before IS opens the card: the lead downloaded a document (Marketing) and IS called them.
  const download = h.portal().forms.find((f) => /ダウンロード/.test(f.name))!;
  h.sandbox.scenario.submitForm({ contactId, formId: download.id });
  h.step();
  h.sandbox.scenario.logActivity({ type: 'call', contactId, ownerId: isOwnerId, subject: 'ヒアリング架電（課題と導入時期を確認）' });
  await h.sandbox.flushWebhooks();
  h.step();
  // The pipeline records the form submission in the ledger (the timeline's Marketing entry).
  await h.backend.services!.pipeline.worker.drainOnce();
  h.step();
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('card API on the sandbox', () => {
  it('IS ticks BANT and writes the reason: the gate names what is missing, then passes', async () => {
    const before = data<HandoffView>(await h.sandbox.cardFetch({ path: `/api/v1/contacts/${contactId}/handoff`, userId: isUserId }));
    expect(before.contact.id).toBe(contactId);
    expect(before.permissions).toMatchObject({ canEditBant: true, canTossUp: true, canEditSettings: false });
    expect(before.viewer).toMatchObject({ ownerId: isOwnerId, departments: ['inside_sales'], superAdmin: false });
    expect(before.role).toBe('inside_sales');
    expect(before.gate.passed).toBe(false);
    const codes = before.gate.missing.map((m) => m.code);
    expect(codes).toEqual(expect.arrayContaining(['sql_rule', 'bant_count', 'handoff_reason']));
    // The IS call set notes_last_contacted in the sandbox: that item is not missing.
    expect(codes).not.toContain('last_contacted');
    for (const m of before.gate.missing) expect(m.label_ja).toMatch(/[ぁ-んァ-ン一-龥]/);
    h.step();

    const saved = data<MutationView>(
      await h.sandbox.cardFetch({
        path: `/api/v1/contacts/${contactId}/bant`,
        method: 'PUT',
        userId: isUserId,
        body: {
          idempotencyKey: 'bant-e2e-000000000001',
          bant: { budget: false, authority: true, need: true, timeline: true },
          notes: { budget: '', authority: '情報システム部長が決裁', need: '営業とマーケの連携が課題', timeline: '来期4月導入' },
          reason: '課題が明確で導入時期も決まっており、商談化の可能性が高い',
        },
      }),
    );
    expect(saved.handoff.bantCount).toBe(3);
    // In HubSpot now, where native reports see it.
    expect(contactProps()).toMatchObject({ tossup_bant_need: 'true', tossup_bant_timeline: 'true', tossup_bant_count: '3' });
    expect(contactProps().tossup_handoff_reason).toContain('商談化');
    h.step();

    const after = data<HandoffView>(await h.sandbox.cardFetch({ path: `/api/v1/contacts/${contactId}/handoff`, userId: isUserId }));
    expect(after.gate).toEqual({ passed: true, missing: [] });
    expect(after.bant.find((b) => b.item === 'authority')).toMatchObject({ checked: true, note: '情報システム部長が決裁' });
    h.step();
  });

  it('a Sales-team user may not change BANT (forbidden, bilingual, through the proxy as 200)', async () => {
    const res = await h.sandbox.cardFetch({
      path: `/api/v1/contacts/${contactId}/bant`,
      method: 'PUT',
      userId: salesUserId,
      body: { idempotencyKey: 'bant-e2e-sales-000001', bant: { budget: false, authority: false, need: false, timeline: false }, notes: { budget: '', authority: '', need: '', timeline: '' }, reason: '' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'success', context: { appServerStatusCode: ['200'] } });
    expect(answer(res).body).toMatchObject({ ok: false, error: { code: 'forbidden', message_ja: expect.any(String), message_en: expect.any(String) } });
    expect(contactProps().tossup_bant_need).toBe('true');
    h.step();
  });

  it('toss-up: one HIGH task for the routed rep, a note, SQL in HubSpot; a retry creates nothing more', async () => {
    const tossUp = () => h.sandbox.cardFetch({ path: `/api/v1/contacts/${contactId}/handoff`, method: 'POST', userId: isUserId, body: { idempotencyKey: KEY } });
    const first = await tossUp();
    const view = data<MutationView>(first).handoff;
    expect(view.handedOff).toBe(true);
    expect(view.summary).toMatchObject({ stage: 'sql', to: { ownerId: repOwnerId }, by: { ownerId: isOwnerId } });

    const p = contactProps();
    expect(p.lifecyclestage).toBe('salesqualifiedlead');
    expect(p.tossup_stage).toBe('sql');
    expect(p.tossup_handoff_to).toBe(repOwnerId);
    expect(p.tossup_handoff_by).toBe(isOwnerId);
    expect(p.hubspot_owner_id).toBe(repOwnerId);

    const high = tasksOfContact().filter((t) => t.properties.hs_task_priority === 'HIGH');
    expect(high).toHaveLength(1);
    const task = high[0]!;
    expect(task.properties.hubspot_owner_id).toBe(repOwnerId);
    expect(task.properties.hs_task_status).toBe('NOT_STARTED');
    // Associated with the contact, its company and its open deal (docs/product.md §5).
    expect(associated('tasks', task.id, 'companies')).toEqual([companyId]);
    expect(associated('tasks', task.id, 'deals')).toEqual([dealId]);

    const notes = Object.values(h.portal().objects.notes).filter((n) => associated('notes', n.id, 'contacts').includes(contactId));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.properties.hs_note_body).toContain('課題が明確で導入時期も決まっており');
    h.step();

    // hubspot.fetch retries once on a 5xx: the same key gets the same answer and no second task.
    const again = await tossUp();
    expect(answer(again)).toEqual(answer(first));
    // A second press with a new key is refused: the lead is already with Sales.
    const pressedAgain = await h.sandbox.cardFetch({ path: `/api/v1/contacts/${contactId}/handoff`, method: 'POST', userId: isUserId, body: { idempotencyKey: 'toss-up-e2e-0000000002' } });
    expect(answer(pressedAgain).body).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    expect(tossUpTasks()).toBe(1);
    expect(Object.values(h.portal().objects.notes).filter((n) => associated('notes', n.id, 'contacts').includes(contactId))).toHaveLength(1);
    h.step();

    function tossUpTasks() {
      return tasksOfContact().filter((t) => t.properties.hs_task_priority === 'HIGH').length;
    }
  });

  it('only the assigned rep may accept; accepting writes tossup_stage accepted', async () => {
    const other = await h.sandbox.cardFetch({ path: `/api/v1/contacts/${contactId}/accept`, method: 'POST', userId: salesUserId, body: { idempotencyKey: 'accept-e2e-other-0001' } });
    expect(answer(other)).toMatchObject({ appStatus: 200, body: { ok: false, error: { code: 'forbidden' } } });
    expect(contactProps().tossup_stage).toBe('sql');
    // The sidebar: the assigned rep gets the rep view, another rep and IS the read-only one.
    const roleOf = async (userId: number | string) => data<HandoffView>(await h.sandbox.cardFetch({ path: `/api/v1/contacts/${contactId}/handoff`, userId })).role;
    expect([await roleOf(repUserId), await roleOf(salesUserId), await roleOf(isUserId)]).toEqual(['rep', 'viewer', 'viewer']);
    h.step();

    const accepted = data<MutationView>(
      await h.sandbox.cardFetch({ path: `/api/v1/contacts/${contactId}/accept`, method: 'POST', userId: repUserId, body: { idempotencyKey: 'accept-e2e-rep-000001' } }),
    );
    expect(accepted.handoff.summary?.stage).toBe('accepted');
    expect(contactProps().tossup_stage).toBe('accepted');
    h.step();
  });

  it('the timeline shows every department, newest first, on the contact and on its deal', async () => {
    const view = data<TimelineView>(await h.sandbox.cardFetch({ path: `/api/v1/contacts/${contactId}/timeline?department=all&page=1`, userId: repUserId }));
    const times = view.items.map((i) => i.at);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const find = (kind: string) => view.items.find((i) => i.kind === kind);
    expect(find('form_submission')).toMatchObject({ department: 'marketing' });
    expect(find('form_submission')!.title).toMatch(/ダウンロード/);
    expect(find('call')).toMatchObject({ department: 'inside_sales', actor: { ownerId: isOwnerId }, title: 'ヒアリング架電（課題と導入時期を確認）' });
    // tossup's own rows: one label (department 'system'), the person who pressed the button as actor.
    expect(find('handoff')).toMatchObject({ department: 'system', actor: { ownerId: isOwnerId } });
    expect(find('accept')).toMatchObject({ department: 'system', actor: { ownerId: repOwnerId } });
    // The note the toss-up wrote, by its first line and without the idempotency marker.
    const note = find('note')!;
    expect(note.title).toMatch(/^【トスアップ】/);
    expect(note.title).not.toMatch(/tossupref/);
    expect(view.items.filter((i) => i.kind === 'task').map((i) => i.department)).toContain('sales');
    // The hand-off task sits at its creation (the toss-up), with its future due date as a field.
    const task = view.items.find((i) => i.kind === 'task' && i.department === 'sales')!;
    expect(task.dueAt).toBeGreaterThan(task.at);
    expect(Math.abs(task.at - find('handoff')!.at)).toBeLessThan(60_000);
    expect(view.summary).toMatchObject({ stage: 'accepted', to: { ownerId: repOwnerId } });
    expect(view.sla?.statusUpdate.status).toBe('met');
    h.step();

    const isOnly = data<TimelineView>(await h.sandbox.cardFetch({ path: `/api/v1/contacts/${contactId}/timeline?department=inside_sales&page=1`, userId: repUserId }));
    expect(isOnly.items.length).toBeGreaterThan(0);
    expect(new Set(isOnly.items.map((i) => i.department))).toEqual(new Set(['inside_sales']));
    h.step();

    const deal = data<TimelineView>(await h.sandbox.cardFetch({ path: `/api/v1/deals/${dealId}/timeline?department=all&page=1`, userId: repUserId }));
    expect(deal.contactId).toBe(contactId);
    expect(deal.items.map((i) => i.id)).toEqual(expect.arrayContaining([find('call')!.id, find('note')!.id, find('form_submission')!.id]));
    h.step();

    const missing = await h.sandbox.cardFetch({ path: '/api/v1/deals/99999999/timeline?department=all&page=1', userId: repUserId });
    expect(answer(missing).body).toMatchObject({ ok: false, error: { code: 'not_found' } });
    h.step();
  });

  it('settings: the super admin (users API) may edit and preview over the portal’s contacts; IS may not', async () => {
    const admin = data<SettingsView>(await h.sandbox.cardFetch({ path: '/api/v1/settings', userId: adminUserId }));
    expect(admin.canEdit).toBe(true);
    expect(admin.teams.map((t) => t.name).sort()).toEqual(['インサイドセールス部', 'フィールドセールス部', 'マーケティング部'].sort());
    h.step();
    const is = data<SettingsView>(await h.sandbox.cardFetch({ path: '/api/v1/settings', userId: isUserId }));
    expect(is.canEdit).toBe(false);
    h.step();

    const preview = data<SettingsPreviewView>(
      await h.sandbox.cardFetch({ path: '/api/v1/settings/preview', method: 'POST', userId: adminUserId, body: { settings: DEFAULT_SETTINGS } }),
    );
    const contacts = Object.values(h.portal().objects.contacts).filter((c) => !c.archived).length;
    expect(preview.evaluated).toBe(contacts);
    expect(preview.truncated).toBe(false);
    // The saved rules are the defaults: previewing them changes nothing.
    expect(preview.changed).toBe(0);
    h.step();
  });

  it('an unknown user id is refused (forbidden)', async () => {
    const res = await h.sandbox.cardFetch({ path: `/api/v1/contacts/${contactId}/handoff`, userId: 123456789 });
    expect(answer(res).body).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    h.step();
  });

  it('a signature made for another portal’s URL does not open this one (401)', async () => {
    const signedPath = `/api/v1/contacts/${contactId}/handoff?userId=${isUserId}&portalId=99999999&appId=${h.sandbox.appId}`;
    const forgedPath = `/api/v1/contacts/${contactId}/handoff?userId=${isUserId}&portalId=${h.sandbox.portalId}&appId=${h.sandbox.appId}`;
    const timestamp = h.clock.now();
    const signature = signV3({ clientSecret: h.sandbox.clientSecret, method: 'GET', uri: `${h.base}${signedPath}`, body: '', timestamp });
    const forged = await fetch(`${h.base}${forgedPath}`, { headers: { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': String(timestamp) } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // Control: signed for the URL it is sent to, the same request is answered.
    const good = signV3({ clientSecret: h.sandbox.clientSecret, method: 'GET', uri: `${h.base}${forgedPath}`, body: '', timestamp });
    const genuine = await fetch(`${h.base}${forgedPath}`, { headers: { 'X-HubSpot-Signature-v3': good, 'X-HubSpot-Request-Timestamp': String(timestamp) } });
    expect(genuine.status).toBe(200);
    h.step();
  });

  it('a stale signature is a 401 the card still reads, inside HubSpot’s BAD_GATEWAY envelope', async () => {
    const res = await h.sandbox.cardFetch({ path: `/api/v1/contacts/${contactId}/handoff`, userId: isUserId, timestamp: h.clock.now() - 10 * 60_000 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'error', category: 'BAD_GATEWAY', context: { appServerStatusCode: ['401'] } });
    expect(answer(res)).toMatchObject({ appStatus: 401, body: { ok: false, error: { code: 'unauthorized' } } });
    h.step();
  });

  it('live preview renders the real components from the signed card API for a sandbox contact', async () => {
    const ja = await (await fetch(`${h.base}/preview/live/contacts/${contactId}?user=${repUserId}&lang=ja`)).text();
    // The hand-off summary and timeline of this very contact, as the API answered them.
    const rep = h.owner(repOwnerId);
    expect(ja).toContain(`${rep.lastName} ${rep.firstName}`);
    expect(ja).toContain('ヒアリング架電（課題と導入時期を確認）');
    expect(ja).toContain('課題が明確で導入時期も決まっており');
    expect(ja).not.toContain('class="spinner"');
    h.step();
    const en = await (await fetch(`${h.base}/preview/live/settings?user=${adminUserId}&lang=en`)).text();
    expect(en).toContain('インサイドセールス部');
    expect(en).not.toContain('class="spinner"');
    const bad = await fetch(`${h.base}/preview/live/contacts/${contactId}`);
    expect(bad.status).toBe(400);
    h.step();
  });
});
