import { describe, expect, it, vi } from 'vitest';
import { Accordion, Button, Input, LoadingButton, Select, Text, TextArea } from '@hubspot/ui-extensions';
import type { SettingsFormsView } from '@tossup/shared/card-dto';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { okResult, previewResult, settingsView } from '../fixtures/card-fixtures';
import { fakeActions, fakeApi, fire } from './fake-api';

const WORDS = {
  ja: { locale: 'ja-JP', inquiry: '問い合わせ', ignore: 'シグナルにしない', sales: '営業', hubspot: 'ポータルのフォーム（HubSpotのフォームAPI）', seen: 'これまでに送信されたフォーム', line: 'セミナー申込（送信 4 件）', noScope: /^HubSpotの権限「forms」が許可されていないため/ },
  en: { locale: 'en', inquiry: 'Inquiry', ignore: 'Not a signal', sales: 'Sales', hubspot: 'The portal’s forms (HubSpot Forms API)', seen: 'Forms submitted so far', line: 'セミナー申込 (4 submissions)', noScope: /^HubSpot scope "forms" is not granted/ },
} as const;

describe.each(['ja', 'en'] as const)('form classification and team-name patterns (%s)', (lang) => {
  const w = WORDS[lang];
  const setup = (forms?: SettingsFormsView) => {
    const api = fakeApi({ getSettings: async () => okResult(settingsView()), previewSettings: async () => okResult(previewResult()), ...(forms ? { listForms: async () => okResult(forms) } : {}) });
    const r = createRenderer('settings');
    r.render(<SettingsPage context={{ user: { locale: w.locale }, portal: { timezone: 'Asia/Tokyo' } }} actions={fakeActions()} api={api} />);
    return { ...r, api };
  };
  const sentSettings = async (r: ReturnType<typeof setup>) => {
    r.findByTestId(LoadingButton, 'preview').trigger('onClick');
    await vi.waitFor(() => expect(r.api.previewSettings).toHaveBeenCalled());
    return (r.api.previewSettings.mock.calls.at(-1) as unknown[])[0] as PortalSettings;
  };

  it('lists the portal\'s forms when the section is opened, and sets a listed form\'s category in one click', async () => {
    const r = setup({ source: 'hubspot', forms: [{ title: 'セミナー申込', id: 'f-1', submissions: 4 }, { title: '資料請求', id: 'f-2', submissions: 0 }] });
    await r.waitFor(() => expect(r.findByTestId(Accordion, 'section-forms')).toBeTruthy());
    expect(r.api.listForms).not.toHaveBeenCalled();
    r.findByTestId(Accordion, 'section-forms').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'portal-form-0').text).toBe(w.line));
    expect(r.findAll(Text).map((t) => t.text)).toContain(w.hubspot);
    r.findByTestId(Button, 'portal-form-0-add').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Input, 'form-override-0-title').props.value).toBe('セミナー申込'));
    expect(r.maybeFindByTestId(Button, 'portal-form-0-add')).toBeNull();
    expect(r.api.listForms).toHaveBeenCalledTimes(1);
  });

  it('says why it lists only the titles seen so far when the forms scope is missing', async () => {
    const r = setup({ source: 'seen', reason: 'missing_scope', forms: [{ title: 'セミナー申込', submissions: 4 }] });
    await r.waitFor(() => expect(r.findByTestId(Accordion, 'section-forms')).toBeTruthy());
    r.findByTestId(Accordion, 'section-forms').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'portal-forms-why').text).toMatch(w.noScope));
    expect(r.findAll(Text).map((t) => t.text)).toContain(w.seen);
  });

  it('edits the title words of each category and the per-form categories', async () => {
    const r = setup();
    await r.waitFor(() => expect(r.findByTestId(TextArea, 'form-pattern-inquiry').props.label).toBe(w.inquiry));
    fire(r.findByTestId(TextArea, 'form-pattern-inquiry'), 'onChange', '問い合わせ、見積, quote');
    r.findByTestId(Button, 'form-override-add').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Input, 'form-override-0-title')).toBeTruthy());
    fire(r.findByTestId(Input, 'form-override-0-title'), 'onChange', '社内テスト用フォーム');
    fire(r.findByTestId(Select, 'form-override-0-category'), 'onChange', 'ignore');
    await r.waitFor(() => expect(r.findByTestId(Select, 'form-override-0-category').props.value).toBe('ignore'));
    expect(r.findByTestId(Select, 'form-override-0-category').props.options?.find((o: { value: unknown }) => o.value === 'ignore')?.label).toBe(w.ignore);
    const sent = await sentSettings(r);
    expect(sent.forms).toEqual({ patterns: { ...settingsView().settings.forms.patterns, inquiry: ['問い合わせ', '見積', 'quote'] }, overrides: [{ title: '社内テスト用フォーム', category: 'ignore' }] });
    r.findByTestId(Button, 'form-override-0-remove').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Input, 'form-override-0-title')).toBeNull());
  });

  it('flags a per-form category without a title and blocks preview', async () => {
    const r = setup();
    await r.waitFor(() => expect(r.findByTestId(Button, 'form-override-add')).toBeTruthy());
    r.findByTestId(Button, 'form-override-add').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Input, 'form-override-0-title').props.validationMessage).toBeTruthy());
    expect(r.findByTestId(LoadingButton, 'preview').props.disabled).toBe(true);
  });

  it('edits the team-name words of each department', async () => {
    const r = setup();
    await r.waitFor(() => expect(r.findByTestId(TextArea, 'team-pattern-sales').props.label).toBe(w.sales));
    fire(r.findByTestId(TextArea, 'team-pattern-sales'), 'onChange', '営業, Field Sales, AE');
    await r.waitFor(() => expect(r.findByTestId(TextArea, 'team-pattern-sales').props.value).toBe('営業, Field Sales, AE'));
    const sent = await sentSettings(r);
    expect(sent.departments.namePatterns.sales).toEqual(['営業', 'Field Sales', 'AE']);
  });
});
