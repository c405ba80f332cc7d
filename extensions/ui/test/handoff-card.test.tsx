import { describe, expect, it, vi } from 'vitest';
import { Alert, Button, Checkbox, ErrorState, LoadingButton, LoadingSpinner, ProgressBar, Select, Text, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { HandoffCard } from '@tossup/ui/components/HandoffCard';
import {
  beforeMqlView,
  errResult,
  gatePassedView,
  handedOffView,
  handoffView,
  LOAD_ERROR,
  managerView,
  NOT_FOUND,
  notAuthorisedHandoffView,
  okResult,
  repAcceptedView,
  repBreachedView,
  repView,
} from '../fixtures/card-fixtures';
import { cardContext, fakeActions, fakeApi, fire } from './fake-api';

/**
 * The sidebar per role (card-dto.ts CardRole) × state, in both languages. Literal
 * expectations (not read from the catalogue) so a wrong key or locale fails.
 */
const WORDS = {
  ja: {
    locale: 'ja-jp',
    loading: '読み込み中…',
    errorTitle: 'データを読み込めませんでした',
    errorBody: '内部エラーが発生しました。時間をおいて再試行してください。',
    empty: 'このコンタクトはまだ評価されていません',
    blocked: 'トスアップするには次の項目が不足しています',
    missingBant: 'BANTが2項目以上必要です（確認済 1項目）',
    missingReason: 'トスアップ理由（商談化の可能性・理由）が未記入です',
    passed: '✓ トスアップ条件を満たしています',
    tossUp: 'トスアップ',
    done: '営業にトスアップしました',
    doneBody: '鈴木 健太さんに初回接触のタスクを割り当てました（期限 2026/11/28 06:00）。',
    gap: 'MQLまであと25点（基準70点）',
    fired: 'MQL認定の理由：セミナー参加済、かつBANT: 課題あり（ニーズ確認済）',
    reactionsMql: '反応：問い合わせなし・ISの初回架電済・アンケート回答なし',
    reactionsNew: '反応：問い合わせなし・ISの初回架電前・アンケート回答なし',
    followUp: 'ISフォロー期限 2026/11/27 16:00（残り6時間0分）',
    blockedAction: 'トスアップ条件を満たしていません',
    route: '佐藤 美咲 → 鈴木 健太',
    at: '2026/11/27 06:00にトスアップ',
    bantAuthority: '✓A（決裁者との接点）：情報システム部長が決裁',
    bantBudget: '－B（予算）',
    breachTitle: '初回接触の期限を3時間0分超過',
    escalated: '田中 一郎さんにエスカレーションしました（2026/11/27 07:00）。',
    accept: '受け入れる',
    chooseReason: '差戻し理由を選んでください',
    viewerBefore: 'インサイドセールスが対応中です（BANT確認数 1/4）。',
  },
  en: {
    locale: 'en-us',
    loading: 'Loading…',
    errorTitle: 'Could not load the data',
    errorBody: 'An internal error occurred; try again in a moment.',
    empty: 'This contact has not been evaluated yet',
    blocked: 'To hand off, these items are still missing',
    missingBant: 'At least 2 BANT items required (1 confirmed)',
    missingReason: 'The hand-off reason is empty',
    passed: '✓ All hand-off conditions are met',
    tossUp: 'Toss up',
    done: 'Handed off to Sales',
    doneBody: 'A first-touch task went to 鈴木 健太 (due 28/11/2026, 06:00).',
    gap: '25 points to MQL (threshold 70)',
    fired: 'Why it is an MQL: Seminar attended AND BANT: need confirmed',
    reactionsMql: 'Reactions: no inquiry, IS first call done, no survey answer',
    reactionsNew: 'Reactions: no inquiry, IS has not called yet, no survey answer',
    followUp: 'IS follow-up due 27/11/2026, 16:00 (6 h 0 min left)',
    blockedAction: 'The hand-off conditions are not met',
    route: '佐藤 美咲 → 鈴木 健太',
    at: 'Handed off 27/11/2026, 06:00',
    bantAuthority: '✓A (Authority): 情報システム部長が決裁',
    bantBudget: '－B (Budget)',
    breachTitle: 'First touch overdue by 3 h 0 min',
    escalated: 'Escalated to 田中 一郎 (27/11/2026, 07:00).',
    accept: 'Accept',
    chooseReason: 'Choose a reason for rejecting',
    viewerBefore: 'Inside Sales is working this lead (BANT 1/4 confirmed).',
  },
} as const;

describe.each(['ja', 'en'] as const)('HandoffCard (%s)', (lang) => {
  const w = WORDS[lang];
  const setup = (api: ReturnType<typeof fakeApi>) => {
    const r = createRenderer('crm.record.sidebar');
    const actions = fakeActions();
    r.render(<HandoffCard context={cardContext(w.locale)} actions={actions} api={api} />);
    return { ...r, actions };
  };

  describe('any role', () => {
    it('shows a spinner while loading', async () => {
      const api = fakeApi({ getHandoff: () => new Promise(() => undefined) });
      const { find } = setup(api);
      expect(find(LoadingSpinner).props.label).toBe(w.loading);
      // The renderer's waitFor only re-checks on render; the request itself changes nothing on screen.
      await vi.waitFor(() => expect(api.getHandoff).toHaveBeenCalledWith('5001'));
      expect(find(LoadingSpinner).props.label).toBe(w.loading);
    });

    it('shows the server error in the viewer language and reloads on retry', async () => {
      const api = fakeApi({ getHandoff: async () => errResult(LOAD_ERROR) });
      const { find, findByTestId, waitFor } = setup(api);
      await waitFor(() => expect(find(ErrorState).props.title).toBe(w.errorTitle));
      expect(find(ErrorState).find(Text).text).toBe(w.errorBody);
      findByTestId(Button, 'retry').trigger('onClick');
      await vi.waitFor(() => expect(api.getHandoff).toHaveBeenCalledTimes(2));
    });

    it('shows the empty state for a contact the backend does not know', async () => {
      const { findByTestId, waitFor } = setup(fakeApi({ getHandoff: async () => errResult(NOT_FOUND) }));
      await waitFor(() => expect(findByTestId(Text, 'empty-title').text).toBe(w.empty));
    });
  });

  describe('Inside Sales', () => {
    it('before MQL: the gap to MQL and the reactions, no MQL reason and no follow-up deadline', async () => {
      const { find, findByTestId, maybeFindByTestId, waitFor } = setup(fakeApi({ getHandoff: async () => okResult(beforeMqlView()) }));
      await waitFor(() => expect(find(ProgressBar).props.title).toBe(w.gap));
      expect(findByTestId(Text, 'reactions').text).toBe(w.reactionsNew);
      expect(maybeFindByTestId(Text, 'mql-fired')).toBeNull();
      expect(maybeFindByTestId(Text, 'followup-due')).toBeNull();
    });

    it('at MQL: which rule fired, the follow-up deadline, every missing gate item, toss-up disabled', async () => {
      const { findByTestId, maybeFindByTestId, maybeFind, findAll, waitFor } = setup(fakeApi({ getHandoff: async () => okResult(handoffView()) }));
      await waitFor(() => expect(findByTestId(Alert, 'gate-blocked').props.title).toBe(w.blocked));
      expect(findByTestId(Text, 'mql-fired').text).toBe(w.fired);
      expect(findByTestId(Text, 'reactions').text).toBe(w.reactionsMql);
      expect(findByTestId(Text, 'followup-due').text).toBe(w.followUp);
      // The gap to MQL matters only before MQL (「MQLまであと15点」 on an MQL would mislead).
      expect(maybeFind(ProgressBar)).toBeNull();
      expect(findByTestId(Text, 'missing-bant_count').text).toBe(w.missingBant);
      expect(findByTestId(Text, 'missing-handoff_reason').text).toBe(w.missingReason);
      expect(findByTestId(LoadingButton, 'toss-up').props.disabled).toBe(true);
      expect(findByTestId(LoadingButton, 'toss-up').text).toBe(w.tossUp);
      expect(findAll(Checkbox).map((c) => c.props.checked)).toEqual([false, false, true, false]);
      expect(findByTestId(TextArea, 'bant-note-need').props.value).toBe('問い合わせ対応の工数削減');
      expect(maybeFindByTestId(Alert, 'not-authorised')).toBeNull();
    });

    it('enables toss-up when the gate holds, then shows who got the task and the read-only summary', async () => {
      const api = fakeApi({ getHandoff: async () => okResult(gatePassedView()), tossUp: async () => okResult({ handoff: handedOffView() }) });
      const { findByTestId, maybeFindByTestId, findAll, waitFor, actions } = setup(api);
      await waitFor(() => expect(findByTestId(Text, 'gate-passed').text).toBe(w.passed));
      const button = findByTestId(LoadingButton, 'toss-up');
      expect(button.props.disabled).toBe(false);
      button.trigger('onClick');
      await waitFor(() => expect(findByTestId(Alert, 'handed-off').props.title).toBe(w.done));
      expect(api.tossUp).toHaveBeenCalledWith('5001');
      expect(findByTestId(Alert, 'handed-off').text).toBe(w.doneBody);
      expect(maybeFindByTestId(LoadingButton, 'toss-up')).toBeNull();
      expect(findAll(Checkbox)).toHaveLength(0);
      expect(findByTestId(Text, 'digest-route').text).toBe(w.route);
      expect(actions.refreshObjectProperties).toHaveBeenCalledTimes(1);
    });

    it('shows the server refusal with the missing items when a toss-up is refused', async () => {
      const refusal = {
        code: 'gate_blocked' as const,
        message_ja: 'トスアップ条件を満たしていません: 直近の接触日が記録されていません',
        message_en: 'The hand-off conditions are not met: No last-contact date recorded',
        missing: [{ code: 'last_contacted', label_ja: '直近の接触日が記録されていません', label_en: 'No last-contact date recorded' }],
      };
      const api = fakeApi({ getHandoff: async () => okResult(gatePassedView()), tossUp: async () => errResult(refusal) });
      const { findByTestId, waitFor } = setup(api);
      await waitFor(() => expect(findByTestId(LoadingButton, 'toss-up').props.disabled).toBe(false));
      findByTestId(LoadingButton, 'toss-up').trigger('onClick');
      await waitFor(() => expect(findByTestId(Alert, 'action-error').props.title).toContain(w.blockedAction));
      expect(findByTestId(Alert, 'action-error').findAll(Text).map((t) => t.text)).toEqual([lang === 'ja' ? '・直近の接触日が記録されていません' : '・No last-contact date recorded']);
    });

    it('requires saving edits before toss-up and sends the checklist, notes and reason', async () => {
      const api = fakeApi({ getHandoff: async () => okResult(gatePassedView()), saveBant: async () => okResult({ handoff: gatePassedView() }) });
      const { findByTestId, waitFor } = setup(api);
      await waitFor(() => expect(findByTestId(LoadingButton, 'toss-up').props.disabled).toBe(false));
      fire(findByTestId(Checkbox, 'bant-budget'), 'onChange', true);
      await waitFor(() => expect(findByTestId(LoadingButton, 'toss-up').props.disabled).toBe(true));
      expect(findByTestId(Text, 'save-first')).toBeTruthy();
      fire(findByTestId(TextArea, 'bant-note-budget'), 'onChange', '来期予算で確保済み');
      findByTestId(LoadingButton, 'save-bant').trigger('onClick');
      await waitFor(() => expect(api.saveBant).toHaveBeenCalledTimes(1));
      expect(api.saveBant.mock.calls[0]).toEqual([
        '5001',
        {
          bant: { budget: true, authority: true, need: true, timeline: true },
          notes: { budget: '来期予算で確保済み', authority: '情報システム部長が決裁', need: '問い合わせ対応の工数削減', timeline: '3ヶ月以内に比較検討' },
          reason: '来期のSFA刷新を検討中。部長同席の打合せを調整中。',
        },
      ]);
    });
  });

  describe('Sales rep', () => {
    it('opens on the hand-off at a glance, the SLA and accept / reject — no permission alert, no BANT form, no MQL gap', async () => {
      const { findByTestId, maybeFindByTestId, maybeFind, findAll, waitFor } = setup(fakeApi({ getHandoff: async () => okResult(repView()) }));
      await waitFor(() => expect(findByTestId(Text, 'digest-route').text).toBe(w.route));
      expect(findByTestId(Text, 'digest-at').text).toBe(w.at);
      expect(findByTestId(Text, 'digest-reason').text).toBe('来期のSFA刷新を検討中。部長同席の打合せを調整中。');
      expect(findByTestId(Text, 'digest-bant-authority').text).toBe(w.bantAuthority);
      expect(findByTestId(Text, 'digest-bant-budget').text).toBe(w.bantBudget);
      expect(findByTestId(LoadingButton, 'accept').text).toBe(w.accept);
      expect(findAll(Checkbox)).toHaveLength(0);
      expect(maybeFind(ProgressBar)).toBeNull();
      expect(maybeFind(Alert)).toBeNull();
      expect(maybeFindByTestId(LoadingButton, 'toss-up')).toBeNull();
    });

    it('accepts, and shows the state after it without the buttons', async () => {
      const api = fakeApi({ getHandoff: async () => okResult(repView()), accept: async () => okResult({ handoff: repAcceptedView() }) });
      const { findByTestId, maybeFindByTestId, waitFor, actions } = setup(api);
      await waitFor(() => expect(findByTestId(LoadingButton, 'accept')).toBeTruthy());
      findByTestId(LoadingButton, 'accept').trigger('onClick');
      await waitFor(() => expect(maybeFindByTestId(LoadingButton, 'accept')).toBeNull());
      expect(api.accept).toHaveBeenCalledWith('5001');
      expect(actions.refreshObjectProperties).toHaveBeenCalledTimes(1);
    });

    it('rejects only with a reason from the admin list', async () => {
      const api = fakeApi({ getHandoff: async () => okResult(repView()), reject: async () => okResult({ handoff: repView({ contact: { ...repView().contact, stage: 'rejected' } }) }) });
      const { findByTestId, waitFor } = setup(api);
      await waitFor(() => expect(findByTestId(Button, 'reject-open')).toBeTruthy());
      findByTestId(Button, 'reject-open').trigger('onClick');
      await waitFor(() => expect(findByTestId(LoadingButton, 'reject-confirm')).toBeTruthy());
      findByTestId(LoadingButton, 'reject-confirm').trigger('onClick');
      await waitFor(() => expect(findByTestId(Select, 'reject-reason-code').props.validationMessage).toBe(w.chooseReason));
      expect(api.reject).not.toHaveBeenCalled();
      fire(findByTestId(Select, 'reject-reason-code'), 'onChange', 'unreachable');
      findByTestId(LoadingButton, 'reject-confirm').trigger('onClick');
      await waitFor(() => expect(api.reject).toHaveBeenCalledWith('5001', { reasonCode: 'unreachable', reason: '' }));
    });

    it('after a breach: how many hours overdue and who it escalated to', async () => {
      const { findByTestId, waitFor } = setup(fakeApi({ getHandoff: async () => okResult(repBreachedView()) }));
      await waitFor(() => expect(findByTestId(Alert, 'sla-breached').props.title).toBe(w.breachTitle));
      expect(findByTestId(Alert, 'sla-breached').text).toBe(w.escalated);
    });
  });

  describe('anyone else (read-only)', () => {
    it('Marketing while IS works the lead: a read-only line, no alert, no form, no button', async () => {
      const { findByTestId, maybeFind, findAll, waitFor } = setup(fakeApi({ getHandoff: async () => okResult(notAuthorisedHandoffView()) }));
      await waitFor(() => expect(findByTestId(Text, 'viewer-before-handoff').text).toBe(w.viewerBefore));
      expect(maybeFind(Alert)).toBeNull();
      expect(findAll(Checkbox)).toHaveLength(0);
      expect(findAll(TextArea)).toHaveLength(0);
      expect(maybeFind(LoadingButton)).toBeNull();
    });

    it('a manager after an escalation: the breach, the hand-off, no accept / reject', async () => {
      const { findByTestId, maybeFindByTestId, waitFor } = setup(fakeApi({ getHandoff: async () => okResult(managerView()) }));
      await waitFor(() => expect(findByTestId(Alert, 'sla-breached').props.title).toBe(w.breachTitle));
      expect(findByTestId(Alert, 'sla-breached').text).toBe(w.escalated);
      expect(findByTestId(Text, 'digest-route').text).toBe(w.route);
      expect(maybeFindByTestId(LoadingButton, 'accept')).toBeNull();
    });
  });
});
