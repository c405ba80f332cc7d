import { describe, expect, it, vi } from 'vitest';
import { Alert, EmptyState, ErrorState, LoadingButton, LoadingSpinner, Select, Table, TableRow, Tag, Text, TextArea, Button, TableCell } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { TimelineCard } from '@tossup/ui/components/TimelineCard';
import { dealTimelineItems, errResult, handedOffView, LOAD_ERROR, okResult, PERMISSIONS, slaBreached, summary, timelineView } from '../fixtures/card-fixtures';
import { cardContext, fakeActions, fakeApi, fire } from './fake-api';

const WORDS = {
  ja: {
    locale: 'ja',
    loading: '読み込み中…',
    errorTitle: 'データを読み込めませんでした',
    empty: 'まだ接点がありません',
    callRow: ['2026/11/27 04:00', 'インサイドセールス', '佐藤 美咲'],
    handoffRow: ['2026/11/27 06:00', 'tossup', '佐藤 美咲'],
    marketingRow: ['2026/11/25 08:00', 'マーケティング', '—'],
    opens: 'メール開封 ×7（最終 11/25）',
    taskDue: '期限 2026/11/28 06:00',
    overlap: '流れと逆の接触：営業の後、72時間以内にインサイドセールスが接触しました（2026/11/26 04:00 → 2026/11/27 04:00）。',
    breached: '初回接触の期限を3時間0分超過',
    slaRow: 'SLA達成（初回接触）',
    rowContact: 'コンタクト：山田 太郎',
    otherContact: 'コンタクト：佐々木 花子',
    acceptedNext: '次はステータス更新です（期限 2026/11/29 06:00）。',
    accept: '受け入れる',
    chooseReason: '差戻し理由を選んでください',
    otherNeedsText: '「その他」の場合は補足を入力してください',
    onlyRep: '受入・差戻しは担当の営業（鈴木 健太）のみ行えます。',
    accepted: '受け入れました',
  },
  en: {
    locale: 'en-gb',
    loading: 'Loading…',
    errorTitle: 'Could not load the data',
    empty: 'No touches yet',
    callRow: ['27/11/2026, 04:00', 'Inside Sales', '佐藤 美咲'],
    handoffRow: ['27/11/2026, 06:00', 'tossup', '佐藤 美咲'],
    marketingRow: ['25/11/2026, 08:00', 'Marketing', '—'],
    opens: 'Email opened ×7 (last Nov 25)',
    taskDue: 'due 28/11/2026, 06:00',
    overlap: 'Against the flow: Inside Sales contacted the lead within 72 hours after Sales (26/11/2026, 04:00 → 27/11/2026, 04:00).',
    breached: 'First touch overdue by 3 h 0 min',
    slaRow: 'SLA met (First touch)',
    rowContact: 'Contact: 山田 太郎',
    otherContact: 'Contact: 佐々木 花子',
    acceptedNext: 'Next: the status update (due 29/11/2026, 06:00).',
    accept: 'Accept',
    chooseReason: 'Choose a reason for rejecting',
    otherNeedsText: 'Describe the reason when choosing “Other”',
    onlyRep: 'Only the assigned sales rep (鈴木 健太) can accept or reject.',
    accepted: 'Accepted',
  },
} as const;

describe.each(['ja', 'en'] as const)('TimelineCard (%s)', (lang) => {
  const w = WORDS[lang];
  const setup = (api: ReturnType<typeof fakeApi>, objectTypeId = '0-1', objectId = 5001) => {
    const r = createRenderer('crm.record.tab');
    const actions = fakeActions();
    r.render(<TimelineCard context={cardContext(w.locale, objectTypeId, objectId)} actions={actions} api={api} />);
    return { ...r, actions };
  };

  it('shows a spinner while loading', async () => {
    const api = fakeApi({ getTimeline: () => new Promise(() => undefined) });
    const { find } = setup(api);
    await vi.waitFor(() => expect(api.getTimeline).toHaveBeenCalledWith('contacts', '5001', { department: 'all', page: 1 }));
    expect(find(LoadingSpinner).props.label).toBe(w.loading);
  });

  it('shows a load error', async () => {
    const { find, waitFor } = setup(fakeApi({ getTimeline: async () => errResult(LOAD_ERROR) }));
    await waitFor(() => expect(find(ErrorState).props.title).toBe(w.errorTitle));
  });

  it('shows the empty state when nobody touched the lead', async () => {
    const view = timelineView({ items: [], total: 0, pageCount: 1, overlaps: [], summary: null, sla: null });
    const { findByTestId, maybeFind, waitFor } = setup(fakeApi({ getTimeline: async () => okResult(view) }));
    await waitFor(() => expect(findByTestId(EmptyState, 'timeline-empty').props.title).toBe(w.empty));
    expect(maybeFind(Table)).toBeNull();
  });

  it('names the engagement types HubSpot would not let it read, and shows the rest', async () => {
    const view = timelineView({ unavailable: [{ source: 'emails', label_ja: 'Eメール: 取得できません（権限なし）', label_en: 'E-mails: unavailable (missing permission)' }] });
    const { findByTestId, find, waitFor } = setup(fakeApi({ getTimeline: async () => okResult(view) }));
    await waitFor(() => expect(findByTestId(Text, 'timeline-unavailable').text).toBe(lang === 'en' ? 'E-mails: unavailable (missing permission)' : 'Eメール: 取得できません（権限なし）'));
    expect(find(Table)).toBeTruthy();
  });

  it('lists touches newest first, labelled with department and person, and warns about overlapping contact', async () => {
    const { findAll, findByTestId, waitFor } = setup(fakeApi({ getTimeline: async () => okResult(timelineView()) }));
    await waitFor(() => expect(findAll(TableRow).length).toBe(8)); // header + 7 items
    const rows = findAll(TableRow).slice(1);
    const cells = (i: number) => rows[i]!.findAll(TableCell).slice(0, 3).map((c) => c.text ?? c.find(Tag).text);
    const activity = (i: number) => rows[i]!.findAll(TableCell)[3]!.findAll(Text).map((t) => t.text);
    // The task sits at its creation (just after the toss-up), not at its future due date; the due date is a field.
    expect(activity(0)).toEqual([lang === 'ja' ? 'タスク' : 'Task', '【トスアップ】山田 太郎 様に初回接触してください（11月28日(土) 06:00まで）', w.taskDue]);
    expect(cells(1)).toEqual(w.handoffRow);
    expect(cells(2)).toEqual(w.callRow);
    expect(cells(4)).toEqual(w.marketingRow);
    // Seven opens of one e-mail are one row.
    expect(activity(4)[0]).toBe(w.opens);
    expect(findByTestId(Alert, 'overlap-inside_sales-sales').text).toBe(w.overlap);
  });

  it('on a deal, names the contact of every row and which SLA an SLA row is about', async () => {
    const { findAll, waitFor } = setup(fakeApi({ getTimeline: async () => okResult(timelineView({ items: dealTimelineItems() })) }), '0-3', 8001);
    await waitFor(() => expect(findAll(TableRow).length).toBe(dealTimelineItems().length + 1));
    const rows = findAll(TableRow).slice(1);
    const activity = (i: number) => rows[i]!.findAll(TableCell)[3]!.findAll(Text).map((t) => t.text);
    expect(activity(0)[0]).toBe(w.slaRow);
    expect(rows.every((r) => r.findAll(TableCell)[3]!.findAll(Text).some((t) => t.text === w.rowContact || t.text === w.otherContact))).toBe(true);
    expect(activity(rows.length - 1)).toContain(w.otherContact);
  });

  it('filters by department and pages through the server', async () => {
    const api = fakeApi({ getTimeline: async () => okResult(timelineView()) });
    const { find, findByTestId, waitFor } = setup(api);
    await waitFor(() => expect((find(Table).props as { pageCount?: number }).pageCount).toBe(2));
    fire(find(Table), 'onPageChange', 2);
    await vi.waitFor(() => expect(api.getTimeline).toHaveBeenLastCalledWith('contacts', '5001', { department: 'all', page: 2 }));
    await waitFor(() => expect(findByTestId(Select, 'department-filter')).toBeTruthy());
    fire(findByTestId(Select, 'department-filter'), 'onChange', 'sales');
    await vi.waitFor(() => expect(api.getTimeline).toHaveBeenLastCalledWith('contacts', '5001', { department: 'sales', page: 1 }));
  });

  it('reads a deal timeline from the deals route', async () => {
    const api = fakeApi({ getTimeline: async () => okResult(timelineView()) });
    setup(api, '0-3', 8001);
    await vi.waitFor(() => expect(api.getTimeline).toHaveBeenCalledWith('deals', '8001', { department: 'all', page: 1 }));
  });

  it('shows the SLA breach', async () => {
    const { findByTestId, waitFor } = setup(fakeApi({ getTimeline: async () => okResult(timelineView({ sla: slaBreached() })) }));
    await waitFor(() => expect(findByTestId(Alert, 'sla-breached').props.title).toBe(w.breached));
  });

  it('lets the assigned rep accept', async () => {
    const api = fakeApi({
      getTimeline: vi
        .fn()
        .mockResolvedValueOnce(okResult(timelineView()))
        .mockResolvedValue(okResult(timelineView({ summary: summary({ stage: 'accepted' }) }))),
      accept: async () => okResult({ handoff: handedOffView() }),
    });
    const { findByTestId, waitFor, actions } = setup(api);
    await waitFor(() => expect(findByTestId(LoadingButton, 'accept').text).toBe(w.accept));
    findByTestId(LoadingButton, 'accept').trigger('onClick');
    await waitFor(() => expect(findByTestId(Alert, 'responded').props.title).toBe(w.accepted));
    // The body says what comes next, never the title again (「受け入れました / 営業受入済」).
    expect(findByTestId(Alert, 'responded').text).toBe(w.acceptedNext);
    expect(api.accept).toHaveBeenCalledWith('5001');
    expect(actions.addAlert).toHaveBeenCalledWith({ type: 'success', message: w.accepted });
  });

  it('requires a reason to reject, and details for "other"', async () => {
    const api = fakeApi({ getTimeline: async () => okResult(timelineView()), reject: async () => okResult({ handoff: handedOffView() }) });
    const { findByTestId, waitFor } = setup(api);
    await waitFor(() => expect(findByTestId(Button, 'reject-open')).toBeTruthy());
    findByTestId(Button, 'reject-open').trigger('onClick');
    await waitFor(() => expect(findByTestId(LoadingButton, 'reject-confirm')).toBeTruthy());
    findByTestId(LoadingButton, 'reject-confirm').trigger('onClick');
    await waitFor(() => expect(findByTestId(Select, 'reject-reason-code').props.validationMessage).toBe(w.chooseReason));
    fire(findByTestId(Select, 'reject-reason-code'), 'onChange', 'other');
    await waitFor(() => expect(findByTestId(Select, 'reject-reason-code').props.value).toBe('other'));
    findByTestId(LoadingButton, 'reject-confirm').trigger('onClick');
    await waitFor(() => expect(findByTestId(TextArea, 'reject-reason').props.validationMessage).toBe(w.otherNeedsText));
    expect(api.reject).not.toHaveBeenCalled();
    fire(findByTestId(TextArea, 'reject-reason'), 'onChange', '既に他社と契約済み');
    await waitFor(() => expect(findByTestId(TextArea, 'reject-reason').props.value).toBe('既に他社と契約済み'));
    findByTestId(LoadingButton, 'reject-confirm').trigger('onClick');
    await vi.waitFor(() => expect(api.reject).toHaveBeenCalledWith('5001', { reasonCode: 'other', reason: '既に他社と契約済み' }));
  });

  it('tells everyone else who may accept or reject, without the buttons', async () => {
    const view = timelineView({ permissions: PERMISSIONS.is });
    const { findByTestId, maybeFindByTestId, waitFor } = setup(fakeApi({ getTimeline: async () => okResult(view) }));
    await waitFor(() => expect(findByTestId(Text, 'respond-not-allowed').text).toBe(w.onlyRep));
    expect(maybeFindByTestId(LoadingButton, 'accept')).toBeNull();
  });
});
