import { describe, expect, it, vi } from 'vitest';
import { Alert, Button, Flex, LoadingButton, Tag, Text, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { FORBIDDEN, errResult, okResult, settingsView } from '../fixtures/card-fixtures';
import { diffView, versionView, versionsList } from '../fixtures/settings-console-fixtures';
import { fakeActions, fakeApi, fire } from './fake-api';

const WORDS = {
  ja: {
    locale: 'ja-JP',
    live: '公開中',
    draft: '下書き（未公開）',
    who: /^版 2 · 保存日時 .+ · 保存者 鈴木 健太$/,
    published: '版 3 を公開しました。パイプラインは今からこの設定で評価します。',
    restored: '版 1 を版 4 として復元し、公開しました。',
    draftSaved: '版 4 を下書きとして保存しました。公開するまで評価には使われません。',
    badJson: 'JSONの形式が正しくありません',
    diffTitle: '公開中の設定との差分: 2 項目',
    forbidden: 'この操作の権限がありません',
  },
  en: {
    locale: 'en',
    live: 'Live',
    draft: 'Draft (not published)',
    who: /^Version 2 · saved .+ by 鈴木 健太$/,
    published: 'Version 3 is live: the pipeline evaluates with it from now on.',
    restored: 'Version 1 restored as version 4 and published.',
    draftSaved: 'Saved as draft version 4; it is not used for evaluations until published.',
    badJson: 'This is not valid JSON',
    diffTitle: 'Changes against the live settings: 2 fields',
    forbidden: 'You are not allowed to do this',
  },
} as const;

describe.each(['ja', 'en'] as const)('settings history (%s)', (lang) => {
  const w = WORDS[lang];
  const setup = (overrides: Parameters<typeof fakeApi>[0] = {}) => {
    const api = fakeApi({ getSettings: async () => okResult(settingsView()), listSettingsVersions: async () => okResult(versionsList()), ...overrides });
    const r = createRenderer('settings');
    const actions = fakeActions();
    r.render(<SettingsPage context={{ user: { locale: w.locale }, portal: { timezone: 'Asia/Tokyo' } }} actions={actions} api={api} />);
    return { ...r, actions, api };
  };
  const showHistory = async (r: ReturnType<typeof setup>) => {
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'versions-show')).toBeTruthy());
    r.findByTestId(LoadingButton, 'versions-show').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Flex, 'version-2')).toBeTruthy());
  };

  it('lists every version with who, when, what changed, the live one and the pending draft', async () => {
    const r = setup();
    await showHistory(r);
    const live = r.findByTestId(Flex, 'version-2');
    expect(live.findAll(Text)[0]?.text).toMatch(w.who);
    expect(live.findAll(Tag).map((t) => t.text)).toEqual([w.live]);
    expect(live.findAll(Text).map((t) => t.text)).toContain('gate.minBantItems: 2 → 3');
    expect(r.findByTestId(Flex, 'version-3').findAll(Tag).map((t) => t.text)).toEqual([w.draft]);
    // Publish only for the draft, restore only for an old published version.
    expect(r.maybeFindByTestId(LoadingButton, 'publish-3')).not.toBeNull();
    expect(r.maybeFindByTestId(LoadingButton, 'restore-3')).toBeNull();
    expect(r.maybeFindByTestId(LoadingButton, 'restore-2')).toBeNull();
    expect(r.maybeFindByTestId(LoadingButton, 'restore-1')).not.toBeNull();
  });

  it('saves the edited settings as a draft, then publishes it on purpose and reloads the live settings', async () => {
    const r = setup({
      saveSettingsDraft: async () => okResult(versionView({ versionNo: 4, pendingDraft: true, publishedAt: null })),
      publishSettingsVersion: async () => okResult(versionView({ versionNo: 3, live: true })),
    });
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'draft-save').props.disabled).toBe(false));
    r.findByTestId(LoadingButton, 'draft-save').trigger('onClick');
    await vi.waitFor(() => expect(r.actions.addAlert).toHaveBeenCalledWith({ type: 'success', message: w.draftSaved }));
    expect(r.api.saveSettingsDraft).toHaveBeenCalledWith(DEFAULT_SETTINGS);
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'publish-3')).toBeTruthy());
    r.findByTestId(LoadingButton, 'publish-3').trigger('onClick');
    await vi.waitFor(() => expect(r.actions.addAlert).toHaveBeenCalledWith({ type: 'success', message: w.published }));
    expect(r.api.publishSettingsVersion).toHaveBeenCalledWith(3);
    await vi.waitFor(() => expect(r.api.getSettings).toHaveBeenCalledTimes(2));
  });

  it('restores an old version as a new one', async () => {
    const r = setup({ restoreSettingsVersion: async () => okResult(versionView({ versionNo: 4, restoredFrom: 1, live: true })) });
    await showHistory(r);
    r.findByTestId(LoadingButton, 'restore-1').trigger('onClick');
    await vi.waitFor(() => expect(r.actions.addAlert).toHaveBeenCalledWith({ type: 'success', message: w.restored }));
    expect(r.api.restoreSettingsVersion).toHaveBeenCalledWith(1);
  });

  it('exports a version as read-only JSON', async () => {
    const r = setup({ getSettingsVersion: async () => okResult({ version: versionView(), settings: DEFAULT_SETTINGS }) });
    await showHistory(r);
    r.findByTestId(Button, 'export-1').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(TextArea, 'settings-export').props.readOnly).toBe(true));
    expect(JSON.parse(r.findByTestId(TextArea, 'settings-export').props.value as string)).toEqual(DEFAULT_SETTINGS);
  });

  it('imports a JSON only after showing its diff, and flags text that is not JSON', async () => {
    const r = setup({ diffSettings: async () => okResult(diffView()), saveSettingsDraft: async () => okResult(versionView({ versionNo: 4, pendingDraft: true, publishedAt: null })) });
    await r.waitFor(() => expect(r.findByTestId(TextArea, 'settings-import')).toBeTruthy());
    fire(r.findByTestId(TextArea, 'settings-import'), 'onChange', '{"gate": ');
    await r.waitFor(() => expect(r.findByTestId(TextArea, 'settings-import').props.validationMessage).toBe(w.badJson));
    expect(r.findByTestId(LoadingButton, 'import-check').props.disabled).toBe(true);
    const doc = { ...DEFAULT_SETTINGS, gate: { ...DEFAULT_SETTINGS.gate, minBantItems: 3 } };
    fire(r.findByTestId(TextArea, 'settings-import'), 'onChange', JSON.stringify(doc));
    await r.waitFor(() => expect(r.findByTestId(LoadingButton, 'import-check').props.disabled).toBe(false));
    expect(r.maybeFindByTestId(LoadingButton, 'import-as-draft')).toBeNull();
    r.findByTestId(LoadingButton, 'import-check').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'import-diff').props.title).toBe(w.diffTitle));
    expect(r.findByTestId(Alert, 'import-diff').findAll(Text).map((t) => t.text)).toEqual(['gate.minBantItems: 2 → 3', 'sla.firstTouchHours: 24 → 12']);
    expect(r.api.diffSettings).toHaveBeenCalledWith(doc);
    r.findByTestId(LoadingButton, 'import-as-draft').trigger('onClick');
    await vi.waitFor(() => expect(r.api.saveSettingsDraft).toHaveBeenCalledWith(doc));
    await vi.waitFor(() => expect(r.actions.addAlert).toHaveBeenCalledWith({ type: 'success', message: w.draftSaved }));
  });

  it('shows the server refusal of a publish', async () => {
    const r = setup({ publishSettingsVersion: async () => errResult(FORBIDDEN) });
    await showHistory(r);
    r.findByTestId(LoadingButton, 'publish-3').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'action-error').props.title).toBe(w.forbidden));
  });

  it('offers no draft, publish, restore or import to a non-admin', async () => {
    const r = setup({ getSettings: async () => okResult(settingsView({ canEdit: false })), listSettingsVersions: async () => okResult(versionsList({ canEdit: false })) });
    await showHistory(r);
    for (const id of ['draft-save', 'publish-3', 'restore-1', 'import-check']) expect(r.maybeFindByTestId(LoadingButton, id)).toBeNull();
    expect(r.maybeFindByTestId(Button, 'export-1')).not.toBeNull();
  });
});
