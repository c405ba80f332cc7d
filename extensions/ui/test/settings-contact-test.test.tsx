import { describe, expect, it, vi } from 'vitest';
import { Alert, Flex, Input, LoadingButton, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { SettingsTestContactView } from '@tossup/shared/card-dto';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { errResult, okResult, settingsView } from '../fixtures/card-fixtures';
import { testContact } from '../../../app/src/domain/contact-test';
import { evaluateRule } from '../../../app/src/domain/rule-expression';
import { analyzeContact } from '../../../app/src/domain/analyze';
import type { LedgerEntry } from '../../../app/src/domain/types';
import { DAY, READY_FOR_HANDOFF, T0, directory, settings, snapshot } from '../../../app/test/domain/fixtures';
import { fakeActions, fakeApi, fire } from './fake-api';

// The contact test shows what the core decides: its views here come from the real
// domain (app/src/domain/contact-test.ts) on the engine tests' portal.
const form = (title: string, at: number): LedgerEntry => ({ signalKey: `form:${title}:${at}`, kind: 'form_submission', occurredAt: at, details: { title } });

const WORDS = {
  ja: { locale: 'ja-JP', yes: 'はい', no: 'いいえ', all: 'すべて満たす', any: 'いずれかを満たす', passed: '✔ トスアップの関門: 通過', blocked: /^✖ トスアップの関門: 止まる理由 \d+ 件$/, badId: '数字のレコードIDか、メールアドレス（例: taro@example.co.jp）を入力してください', found: 'lead@example.com のコンタクト（レコードID 7001）', route: /^担当企業の所有者 → 営業チーム所属 → #202$/ },
  en: { locale: 'en', yes: 'yes', no: 'no', all: 'All of', any: 'Any of', passed: '✔ Hand-off gate: passed', blocked: /^✖ Hand-off gate: \d+ blocking items$/, badId: 'Enter the numeric record ID or an e-mail address (e.g. taro@example.co.jp)', found: 'Contact with lead@example.com (record ID 7001)', route: /^Company owner → in a Sales team → #202$/ },
} as const;

describe.each(['ja', 'en'] as const)('test on a contact (%s)', (lang) => {
  const w = WORDS[lang];
  const render = (answer: SettingsTestContactView | null) => {
    const api = fakeApi({ getSettings: async () => okResult(settingsView()), testContact: async () => (answer ? okResult(answer) : errResult({ code: 'not_found', message_ja: 'コンタクト 404 が見つかりません', message_en: 'Contact 404 not found' })) });
    const r = createRenderer('settings');
    r.render(<SettingsPage context={{ user: { locale: w.locale }, portal: { timezone: 'Asia/Tokyo' } }} actions={fakeActions()} api={api} />);
    return { ...r, api };
  };
  const runFor = async (r: ReturnType<typeof render>, id: string) => {
    await r.waitFor(() => expect(r.findByTestId(Input, 'test-contact-id')).toBeTruthy());
    fire(r.findByTestId(Input, 'test-contact-id'), 'onChange', id);
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'test-contact-run').props.disabled).toBe(false));
    r.findByTestId(LoadingButton, 'test-contact-run').trigger('onClick');
  };
  const text = (r: ReturnType<typeof render>, id: string) => r.findByTestId(Text, id).text;

  it('traces the first MQL example (score ≥ 70 and an inquiry) as the core evaluates it, sending the draft as edited', async () => {
    // 75 points as in app/test/domain/flow.test.ts (SCORE_75), with an inquiry.
    const s = snapshot(
      { hs_email_open: '4', jobtitle: '情報システム部 部長' },
      {
        observations: [form('資料ダウンロード', T0 - 3 * DAY), form('whitepaper', T0 - 2 * DAY), form('お問い合わせ', T0 - DAY)],
        eventParticipations: [{ eventId: 'e1', eventName: 'DXセミナー', state: 'ATTENDED', occurredAt: T0 - 4 * DAY }],
        company: { id: '8001', properties: { numberofemployees: '1200', hubspot_owner_id: '202' } },
      },
    );
    const result = testContact(s, settings(), directory(), T0);
    const facts = analyzeContact(s, settings(), directory(), T0).facts();
    const r = render({ contactId: '7001', published: result, draft: result });
    await runFor(r, '7001');
    await r.waitFor(() => expect(r.findByTestId(Flex, 'test-published')).toBeTruthy());
    expect(r.api.testContact).toHaveBeenCalledWith('7001', settingsView().settings);
    const holds = evaluateRule(settings().rules.mql, facts).holds;
    expect([holds, facts.numbers.score >= 70, facts.flags.inquiry_submitted]).toEqual([true, true, true]);
    expect(text(r, 'test-published-mql')).toBe(`${holds ? '✔' : '✖'} ${w.any}`);
    expect(text(r, 'test-published-mql.0')).toBe(`${result.mql.kind === 'or' && result.mql.of[0]?.holds ? '✔' : '✖'} ${w.all}`);
    expect(text(r, 'test-published-mql.0.0')).toContain(`${facts.numbers.score}`);
    expect(text(r, 'test-published-mql.0.1')).toMatch(new RegExp(`^${facts.flags.inquiry_submitted ? '✔' : '✖'} .+${facts.flags.inquiry_submitted ? w.yes : w.no}`));
    expect(r.findByTestId(Flex, 'test-draft')).toBeTruthy();
  });

  it('traces the second example (a seminar attended and a need)', async () => {
    const s = snapshot({ tossup_bant_need: 'true' }, { eventParticipations: [{ eventId: 'e1', eventName: 'DXセミナー', state: 'ATTENDED', occurredAt: T0 - DAY }] });
    const result = testContact(s, settings(), directory(), T0);
    const facts = analyzeContact(s, settings(), directory(), T0).facts();
    expect(facts.flags.seminar_attended).toBe(true);
    const r = render({ contactId: '7001', published: result, draft: null });
    await runFor(r, '7001');
    await r.waitFor(() => expect(r.findByTestId(Flex, 'test-published')).toBeTruthy());
    expect(text(r, 'test-published-mql')).toBe(`✔ ${w.any}`);
    expect(text(r, 'test-published-mql.1')).toBe(`✔ ${w.all}`);
    expect(text(r, 'test-published-mql.1.0')).toMatch(new RegExp(`^✔ .+${w.yes}`));
    expect(text(r, 'test-published-mql.1.1')).toMatch(new RegExp(`^✔ .+${w.yes}`));
    expect(r.maybeFindByTestId(Flex, 'test-draft')).toBeNull();
  });

  it('shows a failing gate with every blocking item, and a passing one with its routing path', async () => {
    const failing = testContact(snapshot({ tossup_bant_need: 'true' }), settings(), directory(), T0);
    const passing = testContact(snapshot(READY_FOR_HANDOFF, { company: { id: '1', properties: { hubspot_owner_id: '202' } } }), settings(), directory(), T0);
    const r = render({ contactId: '7001', published: failing, draft: passing });
    await runFor(r, '7001');
    await r.waitFor(() => expect(r.findByTestId(Flex, 'test-published')).toBeTruthy());
    expect(text(r, 'test-published-gate')).toMatch(w.blocked);
    const shown = r.findByTestId(Flex, 'test-published').findAll(Text).map((t) => t.text);
    for (const b of failing.gate.blocking) expect(shown).toContain(`・${b[lang]}`);
    expect(text(r, 'test-draft-gate')).toBe(w.passed);
    expect(text(r, 'test-draft-route-0')).toMatch(w.route);
  });

  it('tests a contact found by its e-mail and says which record it found', async () => {
    const result = testContact(snapshot({}), settings(), directory(), T0);
    const r = render({ contactId: '7001', email: 'lead@example.com', published: result, draft: null });
    await runFor(r, ' lead@example.com ');
    await r.waitFor(() => expect(text(r, 'test-found-by')).toBe(w.found));
    expect(r.api.testContact).toHaveBeenCalledWith('lead@example.com', settingsView().settings);
  });

  it('refuses input that is neither a record id nor an e-mail, and shows the server\'s not found', async () => {
    const r = render(null);
    await r.waitFor(() => expect(r.findByTestId(Input, 'test-contact-id')).toBeTruthy());
    fire(r.findByTestId(Input, 'test-contact-id'), 'onChange', 'lead example');
    await r.waitFor(() => expect(r.findByTestId(Input, 'test-contact-id').props.validationMessage).toBe(w.badId));
    expect(r.findByTestId(LoadingButton, 'test-contact-run').props.disabled).toBe(true);
    await runFor(r, '404');
    await vi.waitFor(() => expect(r.findByTestId(Alert, 'action-error').props.title).toMatch(/404/));
  });
});
