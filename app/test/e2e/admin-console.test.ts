/**
 * The admin console end to end (issue 16) on the local HubSpot sandbox with the
 * real backend: a super admin drafts a stricter MQL rule, tests it on a contact,
 * publishes it, and restores the previous version, all through the signed card API
 * as the settings page calls it. After each step the portal's evaluations are read
 * from the sandbox (HubSpot's state), never from the app's answers: a draft changes
 * nothing, the published rule does, and the restored version brings the old rule back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, SettingsTestContactView, SettingsVersionView, SettingsVersionsView, SettingsView } from '@tossup/shared/card-dto';
import type { PortalSettings, RuleExpr } from '@tossup/shared/settings-schema';
import { readProxyAnswer } from '@tossup/ui/client/hubspot-proxy';
import { HOUR, startE2E, type E2E } from '../../dev/sandbox-harness/sandbox-harness';

let h: E2E;
let adminUserId: number;
let n = 0;

beforeAll(async () => {
  h = await startE2E();
  adminUserId = h.sandbox.portal().owners.find((o) => o.superAdmin && !o.archived)!.userId;
});
afterAll(async () => {
  await h.close();
});

/** The settings page's hubspot.fetch, signed, as the super admin; the app's own answer out of HubSpot's proxy envelope. */
async function page<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: Record<string, unknown>): Promise<T> {
  const res = await h.sandbox.cardFetch({ path: `/api/v1${path}`, method, userId: adminUserId, ...(body ? { body } : {}) });
  const { appStatus, body: answer } = readProxyAnswer(res.status, res.json);
  const result = answer as ApiResult<T>;
  if (appStatus !== 200 || !result.ok) throw new Error(`e2e: ${method} ${path} answered ${appStatus}: ${res.text.slice(0, 300)}`);
  return result.data;
}
const key = () => `e2e-admin-console-${String((n += 1)).padStart(6, '0')}`;

/** A lead at 70 points (部長 +10, 850 employees +5, eleven opens +55), as in engine-flow.test.ts. */
async function leadAt70(email: string): Promise<string> {
  const marketer = h.sandbox.portal().owners.find((o) => o.id === h.seed.ownerIds.marketing[1])!;
  const { contactId } = h.sandbox.scenario.createContact({
    properties: { email, firstname: '花子', lastname: '試験', jobtitle: '製造部 部長', lifecyclestage: 'lead' },
    companyId: h.seed.companyIds[2]!,
    userId: marketer.userId,
  });
  await h.settle();
  h.advance(HOUR);
  h.sandbox.scenario.openMarketingEmail({ contactId, count: 11 });
  await h.settle();
  expect(h.contact(contactId).tossup_score).toBe('70');
  return contactId;
}

async function inquiry(contactId: string): Promise<void> {
  h.advance(HOUR);
  h.sandbox.scenario.submitForm({ contactId, formId: h.seed.formIds.inquiry });
  await h.settle();
}

/** The article's rule with the score bar raised to `bar`. */
function withScoreBar(rule: RuleExpr, bar: number): RuleExpr {
  return JSON.parse(JSON.stringify(rule).replace('"op":"gte","value":70', `"op":"gte","value":${bar}`)) as RuleExpr;
}

describe('admin console on the sandbox', () => {
  it('draft → test on a contact → publish → restore, with the evaluations following each step', async () => {
    // Version 1: the settings as they are, saved from the page (a published version).
    const start = await page<SettingsView<PortalSettings>>('GET', '/settings');
    await page('PUT', '/settings', { idempotencyKey: key(), settings: start.settings, expectedVersion: start.version });

    // Draft a stricter MQL rule: 80 points instead of 70.
    const stricter = structuredClone(start.settings);
    stricter.rules.mql = withScoreBar(start.settings.rules.mql, 80);
    expect(JSON.stringify(stricter.rules.mql)).toContain('"value":80');
    const draft = await page<SettingsVersionView>('PUT', '/settings/draft', { idempotencyKey: key(), settings: stricter });
    expect(draft).toMatchObject({ versionNo: 2, pendingDraft: true, live: false });

    // Test it on a lead at 70 points: the live rule's score condition holds, the draft's does not; nothing is written.
    const first = await leadAt70('console.first@hokuriku-seimitsu.co.jp');
    const before = { ...h.contact(first) };
    const tested = await page<SettingsTestContactView>('POST', '/settings/test-contact', { contactId: first, settings: stricter });
    const scoreCondition = (t: SettingsTestContactView['published']['mql']) => (t.kind === 'or' && t.of[0]?.kind === 'and' ? t.of[0].of[0] : undefined);
    expect(scoreCondition(tested.published.mql)).toMatchObject({ kind: 'compare', holds: true, value: 70 });
    expect(scoreCondition(tested.draft!.mql)).toMatchObject({ kind: 'compare', holds: false, value: 70 });
    expect(h.contact(first)).toEqual(before);

    // While it is a draft, the portal still runs on the live rule: the inquiry makes the lead MQL.
    await inquiry(first);
    expect(h.contact(first).tossup_stage).toBe('mql');

    // Published, the stricter rule decides: the same lead profile stays new.
    const published = await page<SettingsVersionView>('POST', '/settings/versions/2/publish', { idempotencyKey: key() });
    expect(published).toMatchObject({ versionNo: 2, live: true });
    const second = await leadAt70('console.second@hokuriku-seimitsu.co.jp');
    await inquiry(second);
    expect(h.contact(second).tossup_stage).toBe('new');
    expect(h.contact(second).lifecyclestage).toBe('lead');

    // Restoring version 1 makes version 3, live; the next evaluation of the lead uses the old rule again.
    const restored = await page<SettingsVersionView>('POST', '/settings/versions/1/restore', { idempotencyKey: key() });
    expect(restored).toMatchObject({ versionNo: 3, restoredFrom: 1, live: true });
    h.advance(HOUR);
    h.sandbox.scenario.openMarketingEmail({ contactId: second, count: 1 });
    await h.settle();
    expect(Number(h.contact(second).tossup_score)).toBeLessThan(80);
    expect(h.contact(second).tossup_stage).toBe('mql');

    const history = await page<SettingsVersionsView>('GET', '/settings/versions');
    expect(history.versions.map((v) => [v.versionNo, v.live, v.restoredFrom])).toEqual([
      [3, true, 1],
      [2, false, null],
      [1, false, null],
    ]);
    expect(history.versions[1]!.summary[0]!.en).toMatch(/^rules\.mql: .*≥ 70.* → .*≥ 80/);
  });
});
