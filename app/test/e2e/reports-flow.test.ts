import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';
import type { ApiResult, SettingsView } from '@tossup/shared/card-dto';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { HOUR, MINUTE, startE2E, timeOf, type E2E } from '../../dev/sandbox-harness/sandbox-harness';

/**
 * The properties the report recipes read (issue 14, docs/product.md "HubSpot
 * properties"), end to end on the sandbox: the real backend receives signed
 * webhooks and writes back through the gateway; every assertion reads the sandbox,
 * because HubSpot's state is what the report builder sees.
 */

const DAY_MS = 24 * HOUR;
const REASON = '来月の稟議に向けて比較検討中。部長が決裁 / Comparing vendors for next month; the department head decides';

let h: E2E;
beforeEach(async () => {
  h = await startE2E();
});
afterEach(async () => {
  await h.close();
});


/** A lead that was never MQL; the IS rep calls, then ticks BANT and writes the reason in HubSpot's own record page. */
async function insideSalesQualifies(email: string, companyIndex: number): Promise<{ contactId: string; isOwnerId: string }> {
  const isOwnerId = h.seed.ownerIds.insideSales[1]!;
  const is = h.owner(isOwnerId);
  const { contactId } = h.sandbox.scenario.createContact({
    properties: { email, firstname: '一郎', lastname: '架電', jobtitle: '情報システム部 課長', lifecyclestage: 'lead' },
    companyId: h.seed.companyIds[companyIndex]!,
    userId: h.owner(h.seed.ownerIds.marketing[1]!).userId,
  });
  await h.settle();
  h.advance(HOUR);
  h.sandbox.scenario.logActivity({ type: 'call', contactId, ownerId: is.id, subject: 'ヒアリング / Discovery call' });
  h.advance(10 * MINUTE);
  h.sandbox.scenario.setProperties({
    objectId: contactId,
    properties: { tossup_bant_need: 'true', tossup_bant_timeline: 'true', tossup_handoff_reason: REASON },
    userId: is.userId,
  });
  await h.settle();
  return { contactId, isOwnerId };
}

/** The tab card's accept button, as the rep's HubSpot user. */
async function accept(contactId: string, repOwnerId: string): Promise<void> {
  const res = await h.sandbox.cardFetch({
    path: `/api/v1/contacts/${contactId}/accept`,
    method: 'POST',
    userId: h.owner(repOwnerId).userId,
    body: { idempotencyKey: `e2e-accept-${contactId}-${h.clock.now()}` },
  });
  expect(readProxyAnswer(res.status, res.json).appStatus).toBe(200);
}

describe('every hand-off credited, MQL before SQL', () => {
  it("an IS user's BANT change that completes the gate credits that user; the MQL is recorded at the hand-off and lifecycle passes through MQL", async () => {
    const { contactId, isOwnerId } = await insideSalesQualifies('credited.lead@kansai-denki.co.jp', 3);
    const c = h.contact(contactId);
    expect(c.tossup_stage).toBe('sql');
    expect(c.tossup_handoff_by).toBe(isOwnerId);
    expect(c.tossup_handoff_source).toBe('crm');
    expect(c.tossup_handoff_count).toBe('1');
    expect(c.tossup_mql_rule).toBe('handoff');
    expect(timeOf(c.tossup_mql_at)).toBeLessThanOrEqual(timeOf(c.tossup_sql_at)!);
    expect(c.lifecyclestage).toBe('salesqualifiedlead');
    // HubSpot's own "became a … date" exists for both stages (written in two requests, MQL first).
    expect(timeOf(c.hs_lifecyclestage_marketingqualifiedlead_date)).toBeLessThanOrEqual(timeOf(c.hs_lifecyclestage_salesqualifiedlead_date)!);
    expect(c.tossup_deal_created).toBe('false');
  });

  it('an IS rep who completes the gate by saving BANT in the card (no button) is credited, source card', async () => {
    const isOwnerId = h.seed.ownerIds.insideSales[1]!;
    const is = h.owner(isOwnerId);
    const { contactId } = h.sandbox.scenario.createContact({
      properties: { email: 'card.bant@kansai-denki.co.jp', firstname: '二郎', lastname: '保存', jobtitle: '総務部 部長', lifecyclestage: 'lead' },
      companyId: h.seed.companyIds[3]!,
      userId: h.owner(h.seed.ownerIds.marketing[1]!).userId,
    });
    await h.settle();
    h.advance(HOUR);
    h.sandbox.scenario.logActivity({ type: 'call', contactId, ownerId: is.id, subject: 'ヒアリング / Discovery call' });
    await h.settle();
    h.advance(10 * MINUTE);
    const res = await h.sandbox.cardFetch({
      path: `/api/v1/contacts/${contactId}/bant`,
      method: 'PUT',
      userId: is.userId,
      body: {
        idempotencyKey: `e2e-bant-save-${contactId}-${h.clock.now()}`,
        bant: { budget: false, authority: false, need: true, timeline: true },
        notes: { budget: '', authority: '', need: '工数削減 / Cut manual work', timeline: '来月稟議 / Approval next month' },
        reason: REASON,
      },
    });
    expect(readProxyAnswer(res.status, res.json).appStatus).toBe(200);
    // The webhook for the app's own write arrives and is evaluated: it must not re-credit the hand-off.
    await h.settle();
    const c = h.contact(contactId);
    expect(c.tossup_stage).toBe('sql');
    expect(c.tossup_handoff_by).toBe(isOwnerId);
    expect(c.tossup_handoff_source).toBe('card');
    expect(c.tossup_handoff_count).toBe('1');
    expect(c.tossup_mql_rule).toBe('handoff');
    expect(timeOf(c.tossup_mql_at)).toBeLessThanOrEqual(timeOf(c.tossup_sql_at)!);
    expect(timeOf(c.hs_lifecyclestage_marketingqualifiedlead_date)).toBeLessThanOrEqual(timeOf(c.hs_lifecyclestage_salesqualifiedlead_date)!);
  });
});

describe("Sales' answers and the SLA write their properties", () => {
  it('accept records the time and the first status update with its hours', async () => {
    const { contactId } = await insideSalesQualifies('accepted.lead@kansai-denki.co.jp', 3);
    const rep = h.contact(contactId).tossup_handoff_to!;
    const handoffAt = timeOf(h.contact(contactId).tossup_sql_at)!;
    h.advance(3 * HOUR);
    await accept(contactId, rep);
    const c = h.contact(contactId);
    expect(c.tossup_stage).toBe('accepted');
    expect(timeOf(c.tossup_accepted_at)).toBe(handoffAt + 3 * HOUR);
    expect(timeOf(c.tossup_status_updated_at)).toBe(handoffAt + 3 * HOUR);
    expect(c.tossup_status_update_hours).toBe('3');
    expect(c.tossup_sla_status_update).toBe('met');
  });

  it('reject with a reason code records the groupable code and the time', async () => {
    const { contactId } = await insideSalesQualifies('rejected.lead@kansai-denki.co.jp', 3);
    const rep = h.contact(contactId).tossup_handoff_to!;
    const handoffAt = timeOf(h.contact(contactId).tossup_sql_at)!;
    h.advance(2 * HOUR);
    await h.reject(contactId, rep, 'no_budget', '今期は予算なし / No budget this year');
    const c = h.contact(contactId);
    expect(c.tossup_stage).toBe('rejected');
    expect(c.tossup_reject_reason_code).toBe('no_budget');
    expect(timeOf(c.tossup_rejected_at)).toBe(handoffAt + 2 * HOUR);
    expect(timeOf(c.tossup_status_updated_at)).toBe(handoffAt + 2 * HOUR);
    expect(c.tossup_status_update_hours).toBe('2');
  });

  it('a breach escalates once and records when and to whom', async () => {
    const { contactId } = await insideSalesQualifies('escalated.lead@kansai-denki.co.jp', 3);
    const rep = h.contact(contactId).tossup_handoff_to!;
    const handoffAt = timeOf(h.contact(contactId).tossup_sql_at)!;
    h.advance(25 * HOUR);
    await h.tickSla();
    const c = h.contact(contactId);
    expect(c.tossup_sla_first_touch).toBe('breached');
    // No escalation owner configured: the rep receives it (docs/product.md §6).
    expect(c.tossup_escalated_to).toBe(rep);
    expect(timeOf(c.tossup_escalated_at)).toBeGreaterThanOrEqual(handoffAt + 24 * HOUR);
    expect(timeOf(c.tossup_escalated_at)).toBeLessThanOrEqual(handoffAt + 25 * HOUR);
  });
});

describe('受注 attributed to the hand-off', () => {
  it('a deal created after the hand-off gets the deal properties and sets tossup_deal_created on the contact', async () => {
    const { contactId, isOwnerId } = await insideSalesQualifies('deal.lead@kansai-denki.co.jp', 3);
    const before = h.contact(contactId);
    const rep = before.tossup_handoff_to!;
    h.advance(2 * DAY_MS);
    const { dealId } = h.sandbox.scenario.createDeal({ contactId, ownerId: rep, userId: h.owner(rep).userId });
    await h.settle();
    const c = h.contact(contactId);
    expect(c.tossup_deal_created).toBe('true');
    expect(timeOf(c.tossup_deal_created_at)).toBe(timeOf(before.tossup_sql_at)! + 2 * DAY_MS);
    const deal = h.sandbox.portal().objects.deals[dealId]!.properties;
    expect(timeOf(deal.tossup_handoff_at)).toBe(timeOf(before.tossup_sql_at));
    expect(deal.tossup_handoff_by).toBe(isOwnerId);
    expect(deal.tossup_handoff_to).toBe(rep);
    expect(timeOf(deal.tossup_mql_at)).toBe(timeOf(before.tossup_mql_at));
  });
});

describe("the admin's reject reasons are the options of tossup_reject_reason_code", () => {
  const adminUserId = () => h.sandbox.portal().owners.find((o) => o.superAdmin && !o.archived)!.userId;
  let n = 0;
  async function settingsPage(method: 'GET' | 'PUT', body?: Record<string, unknown>): Promise<SettingsView<PortalSettings>> {
    const res = await h.sandbox.cardFetch({ path: '/api/v1/settings', method, userId: adminUserId(), ...(body ? { body: { idempotencyKey: `e2e-reasons-${String((n += 1)).padStart(8, '0')}`, ...body } } : {}) });
    const { appStatus, body: answer } = readProxyAnswer(res.status, res.json);
    const result = answer as ApiResult<SettingsView<PortalSettings>>;
    if (appStatus !== 200 || !result.ok) throw new Error(`e2e: ${method} /settings answered ${appStatus}: ${res.text.slice(0, 300)}`);
    return result.data;
  }
  /** The admin adds 「価格が合わない」 (price) first and removes 「重複・既存商談あり」 (duplicate). */
  async function publishPriceWithoutDuplicate(): Promise<SettingsView<PortalSettings>> {
    const start = await settingsPage('GET');
    const settings = structuredClone(start.settings);
    settings.recycle.reasons = [{ code: 'price', ja: '価格が合わない', en: 'Price does not fit' }, ...settings.recycle.reasons.filter((r) => r.code !== 'duplicate')];
    return settingsPage('PUT', { settings, expectedVersion: start.version });
  }
  const options = () => h.sandbox.portal().properties.contacts.tossup_reject_reason_code!.options;
  const scopes = (method: 'POST' | 'DELETE', body?: unknown) =>
    fetch(`${h.sandbox.url}/__sandbox/portals/${h.portalId}/denied-scopes`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

  it('publishing adds the new code, keeps a removed one as a hidden 「…（削除済み）」 option, and a reject writes the new code', async () => {
    const saved = await publishPriceWithoutDuplicate();
    expect(saved.warnings.map((w) => w.code)).not.toContain('reject_reason_sync');
    expect(options()[0]).toMatchObject({ value: 'price', label: '価格が合わない / Price does not fit', hidden: false });
    expect(options().find((o) => o.value === 'duplicate')).toMatchObject({ label: '重複・既存商談あり / Duplicate or existing deal（削除済み）', hidden: true });

    const { contactId } = await insideSalesQualifies('price.lead@kansai-denki.co.jp', 3);
    await h.reject(contactId, h.contact(contactId).tossup_handoff_to!, 'price', '他社より高い / More expensive than the competitor');
    expect(h.contact(contactId).tossup_reject_reason_code).toBe('price');
  });

  it('when HubSpot refuses the update, a reject writes other, the settings page says why, and the next publish repairs it', async () => {
    await scopes('POST', { scope: 'crm.schemas.contacts.write' });
    const refused = await publishPriceWithoutDuplicate();
    const warning = refused.warnings.find((w) => w.code === 'reject_reason_sync');
    expect(warning?.message_ja).toContain('price');
    expect(warning?.message_en).toContain('crm.schemas.contacts.write');
    expect(options().some((o) => o.value === 'price')).toBe(false);

    const { contactId } = await insideSalesQualifies('refused.lead@kansai-denki.co.jp', 3);
    await h.reject(contactId, h.contact(contactId).tossup_handoff_to!, 'price');
    const c = h.contact(contactId);
    expect(c.tossup_stage).toBe('rejected');
    expect(c.tossup_reject_reason_code).toBe('other');
    expect((await settingsPage('GET')).warnings.map((w) => w.code)).toContain('reject_reason_sync');

    await scopes('DELETE');
    const start = await settingsPage('GET');
    const repaired = await settingsPage('PUT', { settings: start.settings, expectedVersion: start.version });
    expect(repaired.warnings.map((w) => w.code)).not.toContain('reject_reason_sync');
    expect(options()[0]).toMatchObject({ value: 'price', hidden: false });
  });
});
