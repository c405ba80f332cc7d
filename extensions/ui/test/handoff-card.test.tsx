import { describe, expect, it, vi } from 'vitest';
import { Alert, Button, Checkbox, ErrorState, Flex, LoadingButton, LoadingSpinner, ProgressBar, Text, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { HandoffCard } from '@tossup/ui/components/HandoffCard';
import {
  errResult,
  gatePassedView,
  handedOffView,
  handoffView,
  LOAD_ERROR,
  NOT_FOUND,
  notAuthorisedHandoffView,
  okResult,
  slaBreachedHandoffView,
} from '../fixtures/card-fixtures';
import { cardContext, fakeActions, fakeApi, fire } from './fake-api';

/** Literal expectations (not read from the catalog) so a wrong key or locale fails. */
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
    passed: 'トスアップ条件を満たしています',
    tossUp: 'トスアップ',
    done: '営業にトスアップしました',
    doneBody: '鈴木 健太 にSLA付きタスクが割り当てられました（初回接触期限 2026/11/28 06:00）。',
    breached: 'SLA超過',
    notAuthorised: 'BANTの編集とトスアップはインサイドセールスのチームのみ行えます。',
    gap: 'MQLまであと25点（基準70点）',
    blockedAction: 'トスアップ条件を満たしていません',
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
    passed: 'All hand-off conditions are met',
    tossUp: 'Toss up',
    done: 'Handed off to Sales',
    doneBody: 'An SLA-bound task was assigned to 鈴木 健太 (first touch due 28/11/2026, 06:00).',
    breached: 'SLA breached',
    notAuthorised: 'Only Inside Sales team members can edit BANT and toss up.',
    gap: '25 points to MQL (threshold 70)',
    blockedAction: 'The hand-off conditions are not met',
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

  it('names every missing gate item and keeps the toss-up button disabled', async () => {
    const view = handoffView({ mql: { isMql: false, threshold: 70, gap: 25 }, score: { ...handoffView().score, total: 45 } });
    const { find, findByTestId, findAll, waitFor } = setup(fakeApi({ getHandoff: async () => okResult(view) }));
    await waitFor(() => expect(findByTestId(Alert, 'gate-blocked').props.title).toBe(w.blocked));
    expect(findByTestId(Text, 'missing-bant_count').text).toBe(w.missingBant);
    expect(findByTestId(Text, 'missing-handoff_reason').text).toBe(w.missingReason);
    expect(findByTestId(LoadingButton, 'toss-up').props.disabled).toBe(true);
    expect(findByTestId(LoadingButton, 'toss-up').text).toBe(w.tossUp);
    expect(find(ProgressBar).props.title).toBe(w.gap);
    // The BANT checklist with a note per item, as IS last saved it.
    expect(findAll(Checkbox).map((c) => c.props.checked)).toEqual([false, false, true, false]);
    expect(findByTestId(TextArea, 'bant-note-need').props.value).toBe('問い合わせ対応の工数削減');
  });

  it('enables toss-up when the gate holds, and shows the hand-off after it', async () => {
    const api = fakeApi({ getHandoff: async () => okResult(gatePassedView()), tossUp: async () => okResult({ handoff: handedOffView() }) });
    const { findByTestId, maybeFindByTestId, waitFor, actions } = setup(api);
    await waitFor(() => expect(findByTestId(Alert, 'gate-passed').props.title).toBe(w.passed));
    const button = findByTestId(LoadingButton, 'toss-up');
    expect(button.props.disabled).toBe(false);
    button.trigger('onClick');
    await waitFor(() => expect(findByTestId(Alert, 'handed-off').props.title).toBe(w.done));
    expect(api.tossUp).toHaveBeenCalledWith('5001');
    expect(findByTestId(Alert, 'handed-off').text).toBe(w.doneBody);
    expect(maybeFindByTestId(LoadingButton, 'toss-up')).toBeNull();
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

  it('shows the gap to MQL only before MQL', async () => {
    const { findByTestId, maybeFindByTestId, waitFor } = setup(fakeApi({ getHandoff: async () => okResult(handoffView({ mql: { isMql: true, threshold: 70, gap: 0 } })) }));
    await waitFor(() => expect(findByTestId(Flex, 'score')).toBeTruthy());
    expect(maybeFindByTestId(ProgressBar, 'mql-progress')).toBeNull();
  });

  it('shows an SLA breach', async () => {
    const { findByTestId, waitFor } = setup(fakeApi({ getHandoff: async () => okResult(slaBreachedHandoffView()) }));
    await waitFor(() => expect(findByTestId(Alert, 'sla-breached').props.title).toBe(w.breached));
  });

  it('tells a viewer outside Inside Sales why they cannot edit, with read-only fields and no button', async () => {
    const { findByTestId, maybeFindByTestId, findAll, waitFor } = setup(fakeApi({ getHandoff: async () => okResult(notAuthorisedHandoffView()) }));
    await waitFor(() => expect(findByTestId(Alert, 'not-authorised').text).toBe(w.notAuthorised));
    expect(maybeFindByTestId(LoadingButton, 'toss-up')).toBeNull();
    expect(maybeFindByTestId(LoadingButton, 'save-bant')).toBeNull();
    expect(findAll(Checkbox).every((c) => c.props.readOnly === true)).toBe(true);
    expect(findByTestId(TextArea, 'reason').props.readOnly).toBe(true);
  });
});
