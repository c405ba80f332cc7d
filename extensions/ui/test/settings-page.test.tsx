import { describe, expect, it, vi } from 'vitest';
import { Accordion, Alert, Button, ErrorState, Heading, LoadingButton, LoadingSpinner, NumberInput, Select, Text, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { errResult, FORBIDDEN, LOAD_ERROR, okResult, previewResult, settingsView } from '../fixtures/card-fixtures';
import { fakeActions, fakeApi, fire } from './fake-api';

const WORDS = {
  ja: {
    locale: 'ja-JP',
    loading: '読み込み中…',
    errorTitle: 'データを読み込めませんでした',
    noEscalation: 'エスカレーション先が未設定です',
    tooManyBant: '4以下にしてください',
    preview: '現在の 200 件のコンタクトのうち 12 件の段階が変わります。',
    transition: '新規 → MQL: 9 件',
    readOnly: '設定の変更はスーパー管理者のみ行えます。',
    forbidden: 'この操作の権限がありません',
    badJson: 'JSONの形式が正しくありません',
    errorsTitle: '入力内容を確認してください（2 件）',
    errorBant: 'MQL・SQL・トスアップ条件 › トスアップの品質基準（関門） › 4以下にしてください',
    errorFirstTouch: /^SLA時間とカレンダー › 初回接触の期限（時間）: .+/,
    updatedAt: /^公開中の設定の最終更新: \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/,
    title: 'tossup 設定',
  },
  en: {
    locale: 'en',
    loading: 'Loading…',
    errorTitle: 'Could not load the data',
    noEscalation: 'No escalation owner is set',
    tooManyBant: 'Must be at most 4',
    preview: '12 of 200 current contacts would change stage.',
    transition: 'New → MQL: 9',
    readOnly: 'Only super admins can change settings.',
    forbidden: 'You are not allowed to do this',
    badJson: 'This is not valid JSON',
    errorsTitle: 'Check these fields (2)',
    errorBant: 'MQL, SQL and hand-off conditions › Hand-off quality gate › Must be at most 4',
    errorFirstTouch: /^SLA hours and calendar › First touch within \(hours\): .+/,
    updatedAt: /^Live settings last changed: .+\d{2}:\d{2}/,
    title: 'tossup settings',
  },
} as const;

describe.each(['ja', 'en'] as const)('SettingsPage (%s)', (lang) => {
  const w = WORDS[lang];
  const setup = (api: ReturnType<typeof fakeApi>) => {
    const r = createRenderer('settings');
    const actions = fakeActions();
    r.render(<SettingsPage context={{ user: { locale: w.locale }, portal: { timezone: 'Asia/Tokyo' } }} actions={actions} api={api} />);
    return { ...r, actions };
  };

  it('shows a spinner, then an error it can retry', async () => {
    const pending = fakeApi({ getSettings: () => new Promise(() => undefined) });
    expect(setup(pending).find(LoadingSpinner).props.label).toBe(w.loading);
    const failing = fakeApi({ getSettings: async () => errResult(LOAD_ERROR) });
    const { find, waitFor } = setup(failing);
    await waitFor(() => expect(find(ErrorState).props.title).toBe(w.errorTitle));
  });

  it('warns while no escalation owner is set, and stops warning once one is chosen', async () => {
    const view = settingsView({ warnings: [] });
    const { findByTestId, maybeFindByTestId, waitFor } = setup(fakeApi({ getSettings: async () => okResult(view) }));
    await waitFor(() => expect(findByTestId(Alert, 'no-escalation-owner').props.title).toBe(w.noEscalation));
    fire(findByTestId(Select, 'escalation-13'), 'onChange', '401');
    await waitFor(() => expect(maybeFindByTestId(Alert, 'no-escalation-owner')).toBeNull());
  });

  it('validates with the shared schema and blocks preview and save on an invalid value', async () => {
    const { findByTestId, waitFor } = setup(fakeApi({ getSettings: async () => okResult(settingsView()) }));
    await waitFor(() => expect(findByTestId(NumberInput, 'min-bant').props.value).toBe(2));
    fire(findByTestId(NumberInput, 'min-bant'), 'onChange', 7);
    await waitFor(() => expect(findByTestId(NumberInput, 'min-bant').props.validationMessage).toBe(w.tooManyBant));
    expect(findByTestId(LoadingButton, 'preview').props.disabled).toBe(true);
    expect(findByTestId(LoadingButton, 'save-settings').props.disabled).toBe(true);
  });

  it('lists every invalid field with the section it is in, and opens that section', async () => {
    const { findByTestId, findAll, waitFor } = setup(fakeApi({ getSettings: async () => okResult(settingsView()) }));
    await waitFor(() => expect(findByTestId(NumberInput, 'min-bant')).toBeTruthy());
    fire(findByTestId(NumberInput, 'min-bant'), 'onChange', 7);
    fire(findByTestId(NumberInput, 'sla-firstTouchHours'), 'onChange', 0);
    await waitFor(() => expect(findByTestId(Alert, 'settings-invalid').props.title).toBe(w.errorsTitle));
    const lines = findByTestId(Alert, 'settings-invalid').findAll(Text).map((t) => (t.text ?? '').replace(': ', ' › '));
    expect(lines).toContain(w.errorBant);
    expect(findByTestId(Text, 'error-sla.firstTouchHours').text).toMatch(w.errorFirstTouch);
    expect(findByTestId(Accordion, 'section-sla').props.open).toBe(false);
    findByTestId(Button, 'error-sla.firstTouchHours-open').trigger('onClick');
    await waitFor(() => expect(findByTestId(Accordion, 'section-sla').props.open).toBe(true));
    // One title: HubSpot's page header names the app; the page adds none of its own.
    expect(findAll(Heading).map((h) => h.text)).not.toContain(w.title);
  });

  it('labels when the live settings last changed', async () => {
    const { findByTestId, waitFor } = setup(fakeApi({ getSettings: async () => okResult(settingsView()) }));
    await waitFor(() => expect(findByTestId(Text, 'settings-updated-at').text).toMatch(w.updatedAt));
  });

  it('flags a rule that is not JSON without losing what the admin typed', async () => {
    const { findByTestId, waitFor } = setup(fakeApi({ getSettings: async () => okResult(settingsView()) }));
    await waitFor(() => expect(findByTestId(TextArea, 'rule-sql')).toBeTruthy());
    fire(findByTestId(TextArea, 'rule-sql'), 'onChange', '{"type": "and", "of": [');
    await waitFor(() => expect(findByTestId(TextArea, 'rule-sql').props.validationMessage).toBe(w.badJson));
    expect(findByTestId(TextArea, 'rule-sql').props.value).toBe('{"type": "and", "of": [');
  });

  it('previews the effect of the edited rules before saving, then saves them with the version it edited', async () => {
    const view = settingsView();
    const api = fakeApi({
      getSettings: async () => okResult(view),
      previewSettings: async () => okResult(previewResult()),
      saveSettings: async () => okResult(settingsView({ version: view.version + 1 })),
    });
    const { findByTestId, waitFor, actions } = setup(api);
    await waitFor(() => expect(findByTestId(NumberInput, 'mql-threshold').props.value).toBe(70));
    fire(findByTestId(NumberInput, 'mql-threshold'), 'onChange', 60);
    await waitFor(() => expect(findByTestId(NumberInput, 'mql-threshold').props.value).toBe(60));
    expect(findByTestId(LoadingButton, 'save-settings').props.disabled).toBe(true);
    findByTestId(LoadingButton, 'preview').trigger('onClick');
    await waitFor(() => expect(findByTestId(Alert, 'preview-result').props.title).toBe(w.preview));
    expect(findByTestId(Alert, 'preview-result').findAll(Text).map((t) => t.text)).toContain(w.transition);
    const sent = (api.previewSettings.mock.calls[0] as unknown[])[0] as typeof view.settings;
    expect(JSON.stringify(sent.rules.mql)).toContain('"value":60');
    expect(findByTestId(LoadingButton, 'save-settings').props.disabled).toBe(false);
    findByTestId(LoadingButton, 'save-settings').trigger('onClick');
    await vi.waitFor(() => expect(api.saveSettings).toHaveBeenCalledWith(sent, view.version));
    await vi.waitFor(() => expect(actions.addAlert).toHaveBeenCalledTimes(1));
    // Editing after a preview makes the preview stale: save waits for a new one.
    fire(findByTestId(NumberInput, 'sla-firstTouchHours'), 'onChange', 12);
    await waitFor(() => expect(findByTestId(LoadingButton, 'save-settings').props.disabled).toBe(true));
  });

  it('is read-only for a non-admin and shows the server refusal', async () => {
    const api = fakeApi({ getSettings: async () => okResult(settingsView({ canEdit: false })) });
    const { findByTestId, maybeFindByTestId, waitFor } = setup(api);
    await waitFor(() => expect(findByTestId(Alert, 'settings-read-only').text).toBe(w.readOnly));
    expect(maybeFindByTestId(LoadingButton, 'save-settings')).toBeNull();
    expect(findByTestId(NumberInput, 'min-bant').props.readOnly).toBe(true);

    const admin = fakeApi({ getSettings: async () => okResult(settingsView()), previewSettings: async () => errResult(FORBIDDEN) });
    const second = setup(admin);
    await second.waitFor(() => expect(second.findByTestId(LoadingButton, 'preview')).toBeTruthy());
    second.findByTestId(LoadingButton, 'preview').trigger('onClick');
    await second.waitFor(() => expect(second.findByTestId(Alert, 'action-error').props.title).toBe(w.forbidden));
  });
});
