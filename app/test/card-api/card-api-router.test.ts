import { withFactThreshold } from '@tossup/shared/rule-threshold';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HandoffView, MutationView, SettingsPreviewView, SettingsView, TimelineView } from '@tossup/shared/card-dto';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { createManualClock, type ManualClock } from '../../src/platform/clock';
import { InstallNotActiveError } from '../../src/hubspot/token-service';
import { RoutingCapacityError } from '../../src/storage/routing-assignment-store';
import { useTestDatabase } from '../../../test/kit/use-test-database';
import { contact, createFakeWorld, PORTAL, send, startCardApi, T0, testContext, type CardServer, type FakeWorld } from './card-api-test-kit';

const IS_USER = '9201';
const SALES_REP = '9301'; // tossup_handoff_to = owner 301
const OTHER_REP = '9302';
const MARKETER = '9101';
const SUPER_ADMIN = '9999';

const key = (n: number) => `card-test-key-${String(n).padStart(8, '0')}`;
const READY = { tossup_bant_need: 'true', tossup_bant_timeline: 'true', tossup_bant_count: '2', tossup_handoff_reason: '来期のSFA刷新を検討中' };

describe('card API (/api/v1)', () => {
  const t = useTestDatabase('pglite');
  let world: FakeWorld;
  let clock: ManualClock;
  let server: CardServer;

  beforeEach(async (testCtx) => {
    world = createFakeWorld();
    world.contacts.set('5001', contact('5001'));
    clock = createManualClock(T0);
    server = await startCardApi(testContext(t.db, world.deps, clock));
    testCtx.onTestFinished(() => server.close());
  });

  describe('signature first', () => {
    it('refuses a forged portalId carrying the signature of another URL (and accepts the genuine one)', async () => {
      const genuine = { method: 'GET' as const, path: '/api/v1/contacts/5001/handoff', userId: IS_USER };
      const forged = await send(server, genuine, { sendPath: `/api/v1/contacts/5001/handoff?userId=${IS_USER}&portalId=99999999&userEmail=x%40example.com&appId=39594762` });
      expect(forged.status).toBe(401);
      expect(forged.json.error?.code).toBe('unauthorized');
      const ok = await send(server, genuine);
      expect(ok.status).toBe(200);
    });

    it.each([
      ['GET', '/api/v1/no/such/route'],
      ['POST', '/api/v1/contacts/5001/handoff'],
      ['GET', '/api/v1/settings'],
      ['DELETE', '/api/v1/contacts/5001'],
    ])('answers 401 to an unsigned %s %s before routing', async (method, path) => {
      const res = await fetch(`${server.origin}${path}?portalId=${PORTAL}&userId=${SUPER_ADMIN}`, { method });
      expect(res.status).toBe(401);
      expect(world.reads.snapshot).toBe(0);
    });

    it('answers 404 only once an unknown path is signed', async () => {
      const res = await send(server, { method: 'GET', path: '/api/v1/no/such/route', userId: IS_USER });
      expect(res.status).toBe(404);
      expect(res.json.error?.message_en).toMatch(/No such API route/);
    });

    it('refuses a changed body, a stale timestamp and a future one', async () => {
      const req = { method: 'POST' as const, path: '/api/v1/contacts/5001/handoff', userId: IS_USER, body: { idempotencyKey: key(1) } };
      expect((await send(server, req, { rawBody: JSON.stringify({ idempotencyKey: key(2) }) })).status).toBe(401);
      expect((await send(server, { ...req, timestamp: T0 - 5 * 60_000 - 1 })).status).toBe(401);
      expect((await send(server, { ...req, timestamp: T0 + 5 * 60_000 + 1 })).status).toBe(401);
      expect(world.applied).toHaveLength(0);
    });
  });

  describe('portal not connected', () => {
    it('answers 200 not_installed (bilingual) instead of a generic 500 when the install was revoked', async () => {
      world.deps.data.getContactSnapshot = async () => {
        throw new InstallNotActiveError(PORTAL, 'disconnected');
      };
      const res = await send(server, { method: 'GET', path: '/api/v1/contacts/5001/handoff', userId: IS_USER });
      expect(res.status).toBe(200);
      expect(res.json.ok).toBe(false);
      expect(res.json.error?.code).toBe('not_installed');
      expect(res.json.error?.message_ja).toMatch(/再インストール/);
      expect(res.json.error?.message_en).toMatch(/reinstall/);
    });
  });

  describe('authorisation by team and role', () => {
    it('answers 200 forbidden with a bilingual message when a Sales-team user tries an IS action', async () => {
      world.contacts.set('5001', contact('5001', READY));
      for (const req of [
        { method: 'POST' as const, path: '/api/v1/contacts/5001/handoff', body: { idempotencyKey: key(3) } },
        { method: 'PUT' as const, path: '/api/v1/contacts/5001/bant', body: { idempotencyKey: key(4), bant: { budget: true, authority: false, need: true, timeline: true }, notes: { budget: '', authority: '', need: '', timeline: '' }, reason: 'x' } },
      ]) {
        const res = await send(server, { ...req, userId: SALES_REP });
        expect(res.status).toBe(200);
        expect(res.json.ok).toBe(false);
        expect(res.json.error).toMatchObject({ code: 'forbidden', message_ja: expect.stringContaining('インサイドセールス'), message_en: expect.stringContaining('Inside Sales') });
      }
      expect(world.applied).toHaveLength(0);
      expect(world.tasks.size).toBe(0);
    });

    it('lets only the assigned rep accept', async () => {
      world.contacts.set('5001', contact('5001', { ...READY, tossup_stage: 'sql', tossup_handoff_to: '301', hubspot_owner_id: '301' }));
      const other = await send(server, { method: 'POST', path: '/api/v1/contacts/5001/accept', userId: OTHER_REP, body: { idempotencyKey: key(5) } });
      expect(other.status).toBe(200);
      expect(other.json.error?.code).toBe('forbidden');
      expect(other.json.error?.message_en).toMatch(/Only the sales rep/);
      const rep = await send<MutationView>(server, { method: 'POST', path: '/api/v1/contacts/5001/accept', userId: SALES_REP, body: { idempotencyKey: key(6) } });
      expect(rep.status).toBe(200);
      expect(rep.json.data?.handoff.contact.stage).toBe('accepted');
    });

    it('lets only super admins save settings or preview them', async () => {
      for (const userId of [IS_USER, SALES_REP]) {
        for (const res of [
          await send(server, { method: 'PUT', path: '/api/v1/settings', userId, body: { idempotencyKey: key(7 + Number(userId)), settings: DEFAULT_SETTINGS } }),
          await send(server, { method: 'POST', path: '/api/v1/settings/preview', userId, body: { settings: DEFAULT_SETTINGS } }),
        ]) {
          expect(res.status).toBe(200);
          expect(res.json.error).toMatchObject({ code: 'forbidden', message_en: expect.stringMatching(/super admins/) });
        }
      }
      expect(world.stored.version).toBe(0);
    });

    it('gives each viewer the sidebar of their role: IS before the hand-off, the assigned rep after it, everyone else read-only', async () => {
      const roleOf = (id: string) => async (userId: string) => (await send<HandoffView>(server, { method: 'GET', path: `/api/v1/contacts/${id}/handoff`, userId })).json.data?.role;
      // Before the hand-off (the rep 301 already owns the contact): IS acts; the owner, Marketing and another rep only look.
      world.contacts.set('5001', contact('5001', { ...READY, tossup_stage: 'mql', hubspot_owner_id: '301' }));
      expect(await Promise.all([IS_USER, SALES_REP, MARKETER, OTHER_REP, SUPER_ADMIN].map(roleOf('5001')))).toEqual(['inside_sales', 'viewer', 'viewer', 'viewer', 'inside_sales']);
      // After it: the assigned rep responds; IS, another rep and the admin only look.
      world.contacts.set('5002', contact('5002', { ...READY, tossup_stage: 'sql', tossup_handoff_to: '301', tossup_handoff_by: '201', tossup_escalated_at: String(T0), tossup_escalated_to: '302' }));
      expect(await Promise.all([IS_USER, SALES_REP, MARKETER, OTHER_REP, SUPER_ADMIN].map(roleOf('5002')))).toEqual(['viewer', 'rep', 'viewer', 'viewer', 'viewer']);
      const rep = (await send<HandoffView>(server, { method: 'GET', path: '/api/v1/contacts/5002/handoff', userId: SALES_REP })).json.data!;
      expect(rep.escalation).toEqual({ at: T0, to: { ownerId: '302', name: '伊藤 次郎' } });
      expect(rep.rejectReasons.map((r) => r.code)).toEqual(DEFAULT_SETTINGS.recycle.reasons.map((r) => r.code));
    });

    it('shows every viewer their permissions', async () => {
      const is = await send<HandoffView>(server, { method: 'GET', path: '/api/v1/contacts/5001/handoff', userId: IS_USER });
      const marketer = await send<HandoffView>(server, { method: 'GET', path: '/api/v1/contacts/5001/handoff', userId: MARKETER });
      expect(is.json.data?.permissions).toMatchObject({ canEditBant: true, canTossUp: true, canEditSettings: false });
      expect(marketer.json.data?.permissions).toMatchObject({ canEditBant: false, canTossUp: false });
      expect(marketer.json.data?.viewer.departments).toEqual(['marketing']);
    });
  });

  describe('toss-up', () => {
    it('names the missing gate items in both languages when the gate does not hold', async () => {
      const res = await send(server, { method: 'POST', path: '/api/v1/contacts/5001/handoff', userId: IS_USER, body: { idempotencyKey: key(20) } });
      expect(res.status).toBe(200);
      expect(res.json.ok).toBe(false);
      expect(res.json.error?.code).toBe('gate_blocked');
      expect(res.json.error?.missing?.map((m) => [m.code, m.label_ja, m.label_en])).toEqual([
        ['bant_count', 'BANT確認数（0 / 2以上）', 'BANT items confirmed (0 of at least 2)'],
        ['handoff_reason_present', 'トスアップ理由の記入あり', 'Hand-off reason written'],
      ]);
      expect(world.tasks.size).toBe(0);
    });

    it('creates one task when HubSpot retries the same toss-up, and replays the first answer', async () => {
      world.contacts.set('5001', contact('5001', READY));
      const req = { method: 'POST' as const, path: '/api/v1/contacts/5001/handoff', userId: IS_USER, body: { idempotencyKey: key(21) } };
      const first = await send<MutationView>(server, req);
      clock.advance(2_000);
      const retry = await send<MutationView>(server, { ...req, timestamp: T0 + 2_000 });
      expect(first.status).toBe(200);
      expect(first.json.data?.handoff.handedOff).toBe(true);
      expect(retry.json).toEqual(first.json);
      expect(world.applied).toHaveLength(1);
      expect(world.tasks.size).toBe(1);
    });

    it('refuses the same key for a different request', async () => {
      world.contacts.set('5001', contact('5001', READY));
      world.contacts.set('5002', contact('5002', READY));
      await send(server, { method: 'POST', path: '/api/v1/contacts/5001/handoff', userId: IS_USER, body: { idempotencyKey: key(22) } });
      const other = await send(server, { method: 'POST', path: '/api/v1/contacts/5002/handoff', userId: IS_USER, body: { idempotencyKey: key(22) } });
      expect(other.status).toBe(200);
      expect(other.json.error?.code).toBe('idempotency_key_reused');
      expect(world.applied).toHaveLength(1);
    });

    it('after a failed attempt, the retry plans with the first attempt\'s clock so the task key repeats', async () => {
      world.contacts.set('5001', contact('5001', READY));
      world.failNextApply();
      const req = { method: 'POST' as const, path: '/api/v1/contacts/5001/handoff', userId: IS_USER, body: { idempotencyKey: key(23) } };
      const failed = await send(server, req);
      expect(failed.status).toBe(500);
      clock.advance(3_000);
      const retry = await send<MutationView>(server, { ...req, timestamp: T0 + 3_000 });
      expect(retry.status).toBe(200);
      expect(world.applied).toHaveLength(2);
      expect(world.applied[0]![0]!.tasks[0]!.key).toBe(`task:handoff:5001:${T0}`);
      expect(world.applied[1]![0]!.tasks[0]!.key).toBe(`task:handoff:5001:${T0}`);
      expect(world.tasks.size).toBe(1);
    });

    it('a rep who filled up meanwhile: 409 in both languages, nothing written, the next press routes afresh', async () => {
      world.contacts.set('5001', contact('5001', READY));
      const apply = world.deps.applyPlans;
      let lost = true;
      world.deps.applyPlans = async (plans) => {
        if (lost) {
          lost = false;
          throw new RoutingCapacityError(PORTAL, '5001', '301', 8);
        }
        return apply(plans);
      };
      const first = await send(server, { method: 'POST', path: '/api/v1/contacts/5001/handoff', userId: IS_USER, body: { idempotencyKey: key(24) } });
      expect(first.status).toBe(409);
      expect(first.json.error).toMatchObject({ code: 'in_progress', message_ja: expect.stringContaining('もう一度トスアップすると、空いている担当者に割り当てます'), message_en: expect.stringContaining('Toss it up again') });
      expect(world.tasks.size).toBe(0);
      const again = await send<MutationView>(server, { method: 'POST', path: '/api/v1/contacts/5001/handoff', userId: IS_USER, body: { idempotencyKey: key(25) } });
      expect(again.status).toBe(200);
      expect(world.tasks.size).toBe(1);
    });

    it('requires an idempotency key on every change', async () => {
      const res = await send(server, { method: 'POST', path: '/api/v1/contacts/5001/handoff', userId: IS_USER, body: {} });
      expect(res.status).toBe(400);
      expect(res.json.error?.message_en).toMatch(/idempotencyKey/);
    });
  });

  describe('reads', () => {
    it('serves repeated reads from the cache and drops the contact after our own write', async () => {
      const get = { method: 'GET' as const, path: '/api/v1/contacts/5001/handoff', userId: IS_USER };
      await send(server, get);
      await send(server, get);
      expect(world.reads.snapshot).toBe(1);
      const saved = await send<MutationView>(server, {
        method: 'PUT',
        path: '/api/v1/contacts/5001/bant',
        userId: IS_USER,
        body: { idempotencyKey: key(30), bant: { budget: false, authority: true, need: true, timeline: true }, notes: { budget: '', authority: '部長が決裁', need: '工数削減', timeline: '' }, reason: '比較検討中' },
      });
      expect(saved.json.data?.handoff.gate.passed).toBe(true);
      expect(world.applied[0]![0]!.contactProperties).toMatchObject({
        tossup_bant_authority: 'true',
        tossup_bant_count: '3',
        tossup_bant_notes: '決裁者 / Authority: 部長が決裁\nニーズ / Need: 工数削減',
        tossup_handoff_reason: '比較検討中',
      });
      const reads = world.reads.snapshot;
      const after = await send<HandoffView>(server, get);
      expect(world.reads.snapshot).toBe(reads + 1);
      expect(after.json.data?.bant.find((b) => b.item === 'authority')).toEqual({ item: 'authority', checked: true, note: '部長が決裁' });
    });

    it('answers an unknown contact with a bilingual not_found the card shows as empty', async () => {
      const res = await send(server, { method: 'GET', path: '/api/v1/contacts/404404/handoff', userId: IS_USER });
      expect(res.status).toBe(200);
      expect(res.json.error?.code).toBe('not_found');
    });

    it('names the missing record in each language, never both in one message', async () => {
      const contactRes = await send(server, { method: 'GET', path: '/api/v1/contacts/404404/handoff', userId: IS_USER });
      expect(contactRes.json.error).toMatchObject({ message_ja: expect.stringMatching(/^コンタクト 404404 が見つかりません。/), message_en: expect.stringMatching(/^Contact 404404 was not found;/) });
      const deal = await send(server, { method: 'GET', path: '/api/v1/deals/999/timeline', userId: SALES_REP });
      expect(deal.json.error).toMatchObject({ code: 'not_found', message_ja: expect.stringMatching(/^取引 999 が見つかりません。/), message_en: expect.stringMatching(/^Deal 999 was not found;/) });
      expect(deal.json.error?.message_ja).not.toMatch(/Deal/);
    });

    it('pages a long timeline newest first, labelled by department, with an overlap warning, far below 1 MB', async () => {
      const H = 3_600_000;
      world.touches.push(
        { id: 'c1', kind: 'call', at: T0 - 6 * H, ownerId: '201', title: '初回ヒアリング' },
        { id: 'e1', kind: 'email', at: T0 - 30 * H, ownerId: '301', title: '別商材のご案内' },
        { id: 'o1', kind: 'email_open', at: T0 - 400 * H, ownerId: null, title: '展示会フォロー' },
      );
      for (let i = 0; i < 3000; i++) world.touches.push({ id: `n${i}`, kind: 'note', at: T0 - (500 + i) * H, ownerId: '201', title: 'メモ'.repeat(500) });
      const res = await send<TimelineView>(server, { method: 'GET', path: '/api/v1/contacts/5001/timeline?page=1', userId: SALES_REP });
      const view = res.json.data!;
      expect(view.total).toBe(3003);
      expect(view.items).toHaveLength(20);
      expect(view.items.slice(0, 3).map((i) => [i.kind, i.department, i.actor?.name ?? null])).toEqual([
        ['call', 'inside_sales', '佐藤 美咲'],
        ['email', 'sales', '鈴木 健太'],
        ['email_open', 'marketing', null],
      ]);
      expect(view.overlaps).toEqual([{ departments: ['inside_sales', 'sales'], rule: 'against_flow', firstAt: T0 - 30 * H, secondAt: T0 - 6 * H, windowHours: 72 }]);
      expect(Math.max(...view.items.map((i) => i.title.length))).toBeLessThanOrEqual(200);
      expect(res.bytes).toBeLessThan(100_000);

      const marketing = await send<TimelineView>(server, { method: 'GET', path: '/api/v1/contacts/5001/timeline?department=marketing&page=1', userId: SALES_REP });
      expect(marketing.json.data?.items.map((i) => i.id)).toEqual(['email_open:o1']);
      const last = await send<TimelineView>(server, { method: 'GET', path: '/api/v1/contacts/5001/timeline?page=151', userId: SALES_REP });
      expect(last.json.data?.page).toBe(151);
      expect(last.json.data?.items).toHaveLength(3);
      expect(world.reads.touches).toBe(1);
    });

    it('groups repeated e-mail opens, places a task at its creation, labels the app\'s rows once and names the SLA', async () => {
      const H = 3_600_000;
      world.touches.push(
        { id: 't1', kind: 'task', at: T0 - 4 * H, dueAt: T0 + 20 * H, ownerId: '301', title: '【トスアップ】初回接触' },
        ...[10, 20, 30].map((h, i) => ({ id: `o${i}`, kind: 'email_open' as const, at: T0 - h * H, ownerId: null, title: '展示会フォロー' })),
        { id: 'f1', kind: 'form_submission', at: T0 - 40 * H, ownerId: null, title: '資料請求' },
        { id: 'o9', kind: 'email_open', at: T0 - 50 * H, ownerId: null, title: '展示会フォロー' },
      );
      world.log.push(
        { contactId: '5001', action: 'accept', actorOwnerId: '999', toOwnerId: null, reason: null, at: T0 - 2 * H, dedupeKey: 'accept:5001:c0' },
        { contactId: '5001', action: 'sla_met', actorOwnerId: null, toOwnerId: '301', reason: null, at: T0 - 3 * H, dedupeKey: 'sla:first_touch:5001:c0' },
      );
      const view = (await send<TimelineView>(server, { method: 'GET', path: '/api/v1/contacts/5001/timeline', userId: SALES_REP })).json.data!;
      expect(view.items.map((i) => [i.kind, i.department, i.count ?? 1])).toEqual([
        ['accept', 'system', 1],
        ['sla_met', 'system', 1],
        ['task', 'sales', 1],
        ['email_open', 'marketing', 3],
        ['form_submission', 'marketing', 1],
        ['email_open', 'marketing', 1],
      ]);
      expect(view.items[1]).toMatchObject({ sla: 'first_touch' });
      expect(view.items[2]).toMatchObject({ at: T0 - 4 * H, dueAt: T0 + 20 * H });
      expect(view.items[3]).toMatchObject({ at: T0 - 10 * H, firstAt: T0 - 30 * H, title: '展示会フォロー' });
      expect(view.total).toBe(6);
      // Not on a deal: no contact named per row.
      expect(view.items.some((i) => i.contact)).toBe(false);
      const deal = (await send<TimelineView>(server, { method: 'GET', path: '/api/v1/deals/8001/timeline', userId: SALES_REP })).json.data!;
      expect(deal.items.filter((i) => i.kind === 'sla_met').map((i) => i.contact)).toEqual([{ id: '5001', name: '山田 太郎' }]);
    });

    it('shows a deal the hand-off of its contact', async () => {
      world.contacts.set('5001', contact('5001', { ...READY, tossup_stage: 'sql', tossup_sql_at: String(T0 - 3_600_000), tossup_handoff_to: '301', tossup_handoff_by: '201' }));
      const res = await send<TimelineView>(server, { method: 'GET', path: '/api/v1/deals/8001/timeline', userId: SALES_REP });
      expect(res.json.data?.contactId).toBe('5001');
      expect(res.json.data?.summary).toMatchObject({ stage: 'sql', by: { name: '佐藤 美咲' }, to: { name: '鈴木 健太' } });
      expect(res.json.data?.permissions.canRespond).toBe(true);
    });
  });

  describe('settings', () => {
    it('validates with the shared schema, saves with optimistic concurrency, and previews stage changes', async () => {
      const admin = SUPER_ADMIN;
      const bad = structuredClone(DEFAULT_SETTINGS);
      bad.gate.rule = withFactThreshold(bad.gate.rule, 'bant_count', 9);
      const invalid = await send(server, { method: 'PUT', path: '/api/v1/settings', userId: admin, body: { idempotencyKey: key(40), settings: bad } });
      expect(invalid.json.error?.code).toBe('invalid_settings');
      expect(invalid.json.error?.missing?.[0]).toMatchObject({ code: 'gate.rule.of.0.value', label_ja: '4以下にしてください', label_en: 'Must be at most 4' });

      world.contacts.set('5002', contact('5002', { tossup_score: '65', tossup_stage: 'new' }));
      const lower = structuredClone(DEFAULT_SETTINGS);
      lower.rules.mql = { type: 'compare', fact: 'score', op: 'gte', value: 60 };
      const preview = await send<SettingsPreviewView>(server, { method: 'POST', path: '/api/v1/settings/preview', userId: admin, body: { settings: lower } });
      expect(preview.json.data).toMatchObject({ evaluated: 2, changed: 1, truncated: false, transitions: [{ from: 'new', to: 'mql', count: 1 }] });

      const saved = await send<SettingsView>(server, { method: 'PUT', path: '/api/v1/settings', userId: admin, body: { idempotencyKey: key(41), settings: lower, expectedVersion: 0 } });
      expect(saved.json.data?.version).toBe(1);
      const stale = await send(server, { method: 'PUT', path: '/api/v1/settings', userId: admin, body: { idempotencyKey: key(42), settings: DEFAULT_SETTINGS, expectedVersion: 0 } });
      expect(stale.json.error?.code).toBe('settings_conflict');
      const read = await send<SettingsView>(server, { method: 'GET', path: '/api/v1/settings', userId: IS_USER });
      expect(read.json.data?.canEdit).toBe(false);
      expect(read.json.data?.warnings.map((w) => w.code)).toContain('no_escalation_owner');
      expect(read.json.data?.teams.map((t) => t.name)).toEqual(['Field Sales', 'IS Team', 'Marketing']);
    });
  });
});
