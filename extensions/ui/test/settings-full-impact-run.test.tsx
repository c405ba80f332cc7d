import { describe, expect, it } from 'vitest';
import { Alert, Button, LoadingButton, ProgressBar, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { SettingsImpactRunView } from '@tossup/shared/card-dto';
import { settingsFingerprint } from '@tossup/shared/settings-fingerprint';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { okResult, previewResult, settingsView } from '../fixtures/card-fixtures';
import { fakeActions, fakeApi } from './fake-api';

const view = settingsView();
const DRAFT = settingsFingerprint(view.settings);
const START = Date.UTC(2026, 11, 8, 1, 5); // 10:05 in Tokyo

function run(over: Partial<SettingsImpactRunView> = {}): SettingsImpactRunView {
  return {
    id: '41',
    status: 'pending',
    phase: 'queued',
    draftFingerprint: DRAFT,
    publishedVersion: 7,
    publishedToken: view.version,
    requestedBy: '9999',
    createdAt: START,
    startedAt: null,
    finishedAt: null,
    total: null,
    read: 0,
    evaluated: 0,
    pagesDone: 0,
    limit: 100_000,
    truncated: false,
    changed: 0,
    transitions: [],
    impact: { handoffs: 0, handoffTasksByRep: [], mqlTasks: 0, stageMoves: 0 },
    error: null,
    canCancel: true,
    ...over,
  };
}

const running = run({ status: 'running', phase: 'evaluating', startedAt: START, total: 1840, read: 400, evaluated: 400, pagesDone: 4 });
const done = run({
  status: 'done',
  phase: 'finished',
  startedAt: START,
  finishedAt: START + 60_000,
  total: 1840,
  read: 1840,
  evaluated: 1838,
  pagesDone: 19,
  changed: 57,
  transitions: [
    { from: 'new', to: 'mql', count: 41 },
    { from: 'mql', to: 'sql', count: 16 },
  ],
  impact: { handoffs: 16, handoffTasksByRep: [{ ownerId: '301', name: '鈴木 健太', count: 10 }, { ownerId: '302', name: '伊藤 次郎', count: 6 }], mqlTasks: 41, stageMoves: 57 },
  canCancel: false,
});

const WORDS = {
  ja: {
    locale: 'ja-JP',
    start: '全件で試算',
    help: '上の試算はポータル全体 1840 件のうち 200 件のサンプルです。',
    title: '全件試算（2026/12/08 10:05 開始・公開中の版 7 との比較）',
    progress: '400 / 1840 件',
    result: '全件試算の結果: 1838 件中 57 件の段階が変わります',
    handoffs: '自動トスアップ 16 件 → 営業担当に優先度「高」のタスク 16 件',
    rep: '・鈴木 健太: タスク 10 件',
    mql: 'MQLのフォロータスク 41 件（インサイドセールスへ）',
    transition: '新規 → MQL: 41 件',
    cancelled: '試算を中止しました（400 / 1840 件まで）。',
    partial: '途中までの結果: 400 件中 0 件の段階が変わります',
    stale: 'この結果は開始後に変更される前の下書きのものです。',
    staleActive: 'この試算は変更前の下書きのものです。',
  },
  en: {
    locale: 'en',
    start: 'Run on all contacts',
    help: 'The preview above is a sample of 200 of the portal’s 1840 contacts.',
    title: 'Full-portal run (started',
    progress: '400 / 1840 contacts',
    result: 'Full-portal result: 57 of 1838 contacts change stage',
    handoffs: '16 automatic hand-offs → 16 HIGH-priority tasks for sales reps',
    rep: '・鈴木 健太: 10 tasks',
    mql: '41 MQL follow-up tasks for inside sales',
    transition: 'New → MQL: 41',
    cancelled: 'The run was stopped (400 / 1840 contacts).',
    partial: 'Result so far: 0 of 400 contacts change stage',
    stale: 'This result is for the draft as it was before later edits',
    staleActive: 'This run is for the draft as it was before later edits',
  },
} as const;

const texts = (r: ReturnType<typeof createRenderer>) => r.findAll(Text).map((t) => t.text ?? "");

describe.each(['ja', 'en'] as const)('full-portal impact run (%s)', (lang) => {
  const w = WORDS[lang];

  async function previewed(overrides: Parameters<typeof fakeApi>[0]) {
    const api = fakeApi({ getSettings: async () => okResult(view), previewSettings: async () => okResult({ ...previewResult(), sample: { size: 200, total: 1840 } }), getLatestImpactRun: async () => okResult({ run: null }), ...overrides });
    const r = createRenderer('settings');
    r.render(<SettingsPage context={{ user: { locale: w.locale }, portal: { timezone: 'Asia/Tokyo' } }} actions={fakeActions()} api={api} impactPollMs={5} />);
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'preview')).toBeTruthy());
    expect(r.maybeFind(LoadingButton, { testId: 'full-run-start' })).toBeNull(); // before a preview, the portal's size is unknown
    r.findByTestId(LoadingButton, 'preview').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'full-run-start')).toBeTruthy());
    return { r, api };
  }

  it('offers 「全件で試算」 when the portal is larger than the sample, shows 「n / m 件」 while it runs, then the result in the preview’s words', async () => {
    // Each poll answers the next state; the last one stays.
    const polls = [running, done];
    const { r, api } = await previewed({
      startImpactRun: async () => okResult({ run: run(), created: true }),
      getImpactRun: async () => okResult({ run: polls.length > 1 ? polls.shift()! : polls[0]! }),
    });
    expect(texts(r).some((t) => t.startsWith(w.help))).toBe(true);
    r.findByTestId(LoadingButton, 'full-run-start').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'full-run-title')).toBeTruthy());
    expect(api.startImpactRun).toHaveBeenCalledWith(view.settings, DRAFT);
    await r.waitFor(() => expect(r.findByTestId(ProgressBar, 'full-run-progress').props.title).toBe(w.progress));
    expect(r.findByTestId(ProgressBar, 'full-run-progress').props).toMatchObject({ value: 400, maxValue: 1840 });
    expect(r.findByTestId(LoadingButton, 'full-run-start').props.disabled).toBe(true); // one run at a time
    await r.waitFor(() => expect(r.findByTestId(Alert, 'full-run-result').props.title).toBe(w.result));
    expect(r.findByTestId(Text, 'full-run-title').text).toContain(w.title);
    expect(r.findByTestId(Text, 'full-impact-handoffs').text).toBe(w.handoffs);
    expect(r.findByTestId(Text, 'full-impact-mql').text).toBe(w.mql);
    expect(r.findByTestId(Alert, 'full-run-result').findAll(Text).map((t) => t.text)).toEqual(expect.arrayContaining([w.rep, w.transition]));
    expect(r.maybeFind(ProgressBar, { testId: 'full-run-progress' })).toBeNull();
    expect(r.maybeFind(Alert, { testId: 'full-run-stale' })).toBeNull();
    const asked = (api.getImpactRun as unknown as { mock: { calls: unknown[] } }).mock.calls.length;
    await new Promise((ok) => setTimeout(ok, 50));
    expect((api.getImpactRun as unknown as { mock: { calls: unknown[] } }).mock.calls.length).toBe(asked); // a finished run is not polled
    expect(r.findByTestId(LoadingButton, 'full-run-start').props.disabled).toBe(false);
  });

  it('shows the portal’s latest run when the section appears (a run finished before a reload, for another draft: stale)', async () => {
    const { r, api } = await previewed({ getLatestImpactRun: async () => okResult({ run: { ...done, draftFingerprint: '00000000deadbeef' } }) });
    await r.waitFor(() => expect(r.findByTestId(Alert, 'full-run-result').props.title).toBe(w.result));
    expect(r.findByTestId(Alert, 'full-run-stale').props.title).toContain(w.stale);
    expect(api.startImpactRun).not.toHaveBeenCalled();
    expect(r.findByTestId(LoadingButton, 'full-run-start').props.disabled).toBe(false);
  });

  it('cancels a running run and shows how far it got', async () => {
    const { r, api } = await previewed({
      startImpactRun: async () => okResult({ run: running, created: true }),
      getImpactRun: async () => okResult({ run: running }),
      cancelImpactRun: async () => okResult({ run: { ...running, status: 'cancelled', phase: 'finished', canCancel: false } }),
    });
    r.findByTestId(LoadingButton, 'full-run-start').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'full-run-cancel')).toBeTruthy());
    r.findByTestId(Button, 'full-run-cancel').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'full-run-cancelled').text).toBe(w.cancelled));
    expect(api.cancelImpactRun).toHaveBeenCalledWith('41');
    expect(r.findByTestId(Alert, 'full-run-result').props.title).toBe(w.partial);
    expect(r.maybeFind(Button, { testId: 'full-run-cancel' })).toBeNull();
  });

  it('says when the run belongs to another draft than the page shows (a start answered with the portal’s run in progress)', async () => {
    const other = { ...running, draftFingerprint: '00000000deadbeef' };
    const { r } = await previewed({
      startImpactRun: async () => okResult({ run: other, created: false }),
      getImpactRun: async () => okResult({ run: { ...done, draftFingerprint: '00000000deadbeef' } }),
    });
    r.findByTestId(LoadingButton, 'full-run-start').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'full-run-stale')).toBeTruthy());
    expect(r.findByTestId(Alert, 'full-run-stale').props.title).toContain(w.staleActive);
    await r.waitFor(() => expect(r.findByTestId(Alert, 'full-run-stale').props.title).toContain(w.stale));
  });
});
