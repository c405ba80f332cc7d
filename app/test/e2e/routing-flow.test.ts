import { afterEach, beforeEach, expect, it } from 'vitest';
import type { StoredObject } from '../../dev/sandbox/portal-state';
import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';
import { compareOwnerIds } from '../../src/domain/departments';
import { HOUR, MINUTE, startE2E, type E2E } from '../../dev/sandbox-harness/sandbox-harness';

/**
 * Routing for large sales organisations end to end (issue 17), on the sandbox: a
 * territory rule sends leads of 大阪府 companies to the 関西 pool; one rep is at capacity, one has
 * set 「不在」 from the card, so the lead goes to the third; nobody calls, the SLA breaches,
 * the escalation goes out, and two hours later the lead is reassigned — once — to the
 * rep whose seat the rejection of their earlier lead freed. Every assertion reads the
 * sandbox (HubSpot's state) or the card API's answer.
 */

const REASON = '大阪工場の生産管理刷新を年度内に決定 / Deciding on a new production system for the Osaka plant this fiscal year';

let h: E2E;
beforeEach(async () => {
  h = await startE2E();
});
afterEach(async () => {
  await h.close();
});

const subjectOf = (t: StoredObject) => t.properties.hs_task_subject ?? '';
const tasksMatching = (contactId: string, marker: string) => h.associated(contactId, 'tasks').filter((t) => subjectOf(t).includes(marker));
const notesOf = (contactId: string) => h.associated(contactId, 'notes').map((n) => n.properties.hs_note_body ?? '');

async function kansaiLead(email: string): Promise<string> {
  const { contactId } = h.sandbox.scenario.createContact({
    properties: { email, firstname: '一郎', lastname: '関西', jobtitle: '生産管理部 部長', lifecyclestage: 'lead' },
    companyId: h.seed.companyIds[1]!,
    userId: h.owner(h.seed.ownerIds.marketing[1]!).userId,
  });
  await h.settle();
  h.advance(HOUR);
  const is = h.owner(h.seed.ownerIds.insideSales[1]!);
  h.sandbox.scenario.logActivity({ type: 'call', contactId, ownerId: is.id, subject: 'ヒアリング' });
  h.advance(10 * MINUTE);
  h.sandbox.scenario.setProperties({
    objectId: contactId,
    properties: { tossup_bant_budget: 'true', tossup_bant_need: 'true', tossup_bant_timeline: 'true', tossup_handoff_reason: REASON },
    userId: is.userId,
  });
  await h.settle();
  expect(h.contact(contactId).tossup_stage).toBe('sql');
  return contactId;
}

it('territory rule, a rep at capacity, a rep out of office, and one reassign after the breach', async () => {
  const [p, q, r] = [...h.seed.ownerIds.fieldSales.slice(1)].sort(compareOwnerIds) as [string, string, string];
  const manager = h.seed.managerOwnerIds.fieldSales;
  await h.saveSettings((s) => {
    s.routing.preferCompanyOwner = false;
    s.routing.pools = [{ id: 'kansai', name: '関西営業チーム', members: [p, q, r].map((ownerId) => ({ ownerId, weight: 1, capacity: 1 })) }];
    s.routing.rules = [{ id: 'kansai', name: '地域ルール: 関西', enabled: true, conditions: [{ object: 'company', property: 'state', op: 'in', values: ['大阪府', '京都府'] }], target: { type: 'pool', poolId: 'kansai' } }];
    s.routing.reassignAfterHours = 2;
    s.escalation.ownersByTeam[h.seed.teamIds.fieldSales] = manager;
  });

  // The company's head office is in 大阪府 (the territory rule reads the company's state).
  h.sandbox.scenario.setProperties({ objectType: 'companies', objectId: h.seed.companyIds[1]!, properties: { state: '大阪府' } });
  await h.settle();

  // Q sets 「不在」 from the card for this week (E2E_START is Monday 2026-04-06, 09:00 JST).
  const ooo = await h.sandbox.cardFetch({ path: '/api/v1/out-of-office', method: 'POST', userId: h.owner(q).userId, body: { idempotencyKey: 'e2e-ooo-q-2026-04-06', from: '2026-04-06', to: '2026-04-10', note: '出張' } });
  expect(readProxyAnswer(ooo.status, ooo.json).body).toMatchObject({ ok: true, data: { ranges: [{ ownerId: q, from: '2026-04-06', to: '2026-04-10' }] } });

  // Lead A: the rule matches, P (fewest assignments, lowest id) receives it.
  const a = await kansaiLead('a.kansai@naniwa-kogyo.co.jp');
  expect(h.contact(a).tossup_handoff_to).toBe(p);
  expect(notesOf(a).some((n) => n.includes('割当の経緯: 地域ルール: 関西 → 関西営業チーム → '))).toBe(true);

  // Lead B: P is at capacity (1/1), Q is away → R; the note says why each was passed over.
  h.advance(HOUR);
  const b = await kansaiLead('b.kansai@naniwa-kogyo.co.jp');
  expect(h.contact(b).tossup_handoff_to).toBe(r);
  const pathNote = notesOf(b).find((n) => n.includes('割当の経緯'))!;
  expect(pathNote).toContain('上限到達 1/1件');
  expect(pathNote).toContain('不在 4/6〜4/10');

  // Sales rejects lead A: P's seat is free again.
  await h.reject(a, p, 'bad_timing');
  await h.settle();

  // Nobody calls lead B: breach and escalation at 24 h, reassign 2 h later — to P.
  h.advance(23 * HOUR); // the 2-hours-before reminder
  await h.tickSla();
  expect(tasksMatching(b, '【リマインド】').map((t) => t.properties.hubspot_owner_id)).toEqual([r]);
  h.advance(2 * HOUR);
  await h.tickSla();
  expect(h.contact(b).tossup_sla_first_touch).toBe('breached');
  expect(tasksMatching(b, '【SLA超過】').map((t) => t.properties.hubspot_owner_id)).toEqual([manager]);
  expect(tasksMatching(b, '【再割当】')).toHaveLength(0);

  h.advance(2 * HOUR + MINUTE);
  await h.tickSla();
  const c = h.contact(b);
  expect(c.hubspot_owner_id).toBe(p);
  expect(c.tossup_handoff_to).toBe(p);
  expect(c.tossup_sla_first_touch).toBe('pending');
  expect(tasksMatching(b, '【再割当】').map((t) => [t.properties.hubspot_owner_id, t.properties.hs_task_priority])).toEqual([[p, 'HIGH']]);
  expect(tasksMatching(b, '【再割当のお知らせ】').map((t) => t.properties.hubspot_owner_id)).toEqual([r]);

  // Exactly once: more sweeps and webhook-driven evaluations change nothing.
  await h.ctx.db.query('update sla_clocks set next_check_at = $2 where portal_id = $1', [h.portalId, h.clock.now()]);
  h.advance(3 * HOUR);
  await h.tickSla();
  h.sandbox.scenario.openMarketingEmail({ contactId: b });
  await h.settle();
  expect(tasksMatching(b, '【再割当】')).toHaveLength(1);
  expect(h.contact(b).hubspot_owner_id).toBe(p);

  // The tab card's routing panel shows the ladder, rung by rung.
  const panel = await h.sandbox.cardFetch({ path: `/api/v1/contacts/${b}/routing`, method: 'GET', userId: h.owner(p).userId });
  const view = readProxyAnswer(panel.status, panel.json).body as { data: { ladder: { step: string; state: string }[]; path: { ja: string } } };
  expect(view.data.ladder.map((s) => [s.step, s.state])).toEqual([
    ['reminder', 'done'],
    ['breach', 'done'],
    ['escalation', 'done'],
    ['reassign', 'done'],
  ]);
  expect(view.data.path.ja).toContain('地域ルール: 関西 → 関西営業チーム → ');
});
