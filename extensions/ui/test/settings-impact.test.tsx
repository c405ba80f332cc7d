import { describe, expect, it } from 'vitest';
import { Alert, LoadingButton, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { okResult, previewResult, settingsView } from '../fixtures/card-fixtures';
import { fakeActions, fakeApi } from './fake-api';

const WORDS = {
  ja: {
    locale: 'ja-JP',
    sample: '試算の対象: 最近更新されたコンタクトから 200 件（ポータル全体 1840 件）。',
    handoffs: '自動トスアップ 3 件 → 営業担当に優先度「高」のタスク 3 件',
    rep: '・鈴木 健太: タスク 2 件',
    mql: 'MQLのフォロータスク 9 件（インサイドセールスへ）',
    stages: '段階の変わるコンタクト 12 件',
  },
  en: {
    locale: 'en',
    sample: 'Sample: the 200 most recently modified contacts (of 1840 in the portal).',
    handoffs: '3 automatic hand-offs → 3 HIGH-priority tasks for sales reps',
    rep: '・鈴木 健太: 2 tasks',
    mql: '9 MQL follow-up tasks for inside sales',
    stages: '12 contacts change stage',
  },
} as const;

describe.each(['ja', 'en'] as const)('impact before publishing (%s)', (lang) => {
  const w = WORDS[lang];
  it('says what the sample is and spells out the side effects: hand-offs with HIGH tasks per rep, MQL tasks, stage moves', async () => {
    const preview = {
      ...previewResult(),
      sample: { size: 200, total: 1840 },
      impact: { handoffs: 3, handoffTasksByRep: [{ ownerId: '301', name: '鈴木 健太', count: 2 }, { ownerId: '302', name: '伊藤 次郎', count: 1 }], mqlTasks: 9, stageMoves: 12 },
    };
    const r = createRenderer('settings');
    r.render(<SettingsPage context={{ user: { locale: w.locale }, portal: { timezone: 'Asia/Tokyo' } }} actions={fakeActions()} api={fakeApi({ getSettings: async () => okResult(settingsView()), previewSettings: async () => okResult(preview), getLatestImpactRun: async () => okResult({ run: null }) })} />);
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'preview')).toBeTruthy());
    r.findByTestId(LoadingButton, 'preview').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'preview-result')).toBeTruthy());
    expect(r.findByTestId(Text, 'preview-sample').text).toBe(w.sample);
    expect(r.findByTestId(Text, 'impact-handoffs').text).toBe(w.handoffs);
    expect(r.findByTestId(Alert, 'preview-result').findAll(Text).map((t) => t.text)).toContain(w.rep);
    expect(r.findByTestId(Text, 'impact-mql').text).toBe(w.mql);
    expect(r.findByTestId(Text, 'impact-stages').text).toBe(w.stages);
  });
});
