import { describe, expect, it, vi } from 'vitest';
import { Button, Input, LoadingButton } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { okResult, previewResult, settingsView } from '../fixtures/card-fixtures';
import { fakeActions, fakeApi, fire } from './fake-api';

/** The reject-reason section of the settings page (issue 14): the list Sales chooses from and reports group by. */
const WORDS = {
  ja: { locale: 'ja-JP', code: 'コード', published: '公開済みのコード（変更不可）', format: '理由コードは半角英小文字', duplicate: '理由コード「price」は他の理由と重複しています' },
  en: { locale: 'en', code: 'Code', published: 'Published code (cannot change)', format: 'A reason code is 1–40 lowercase', duplicate: 'The reason code "price" is used by another reason' },
} as const;

describe.each(['ja', 'en'] as const)('reject reasons on the settings page (%s)', (lang) => {
  const w = WORDS[lang];
  const defaults = settingsView().settings.recycle.reasons;
  const setup = () => {
    const api = fakeApi({ getSettings: async () => okResult(settingsView()), previewSettings: async () => okResult(previewResult()) });
    const r = createRenderer('settings');
    r.render(<SettingsPage context={{ user: { locale: w.locale }, portal: { timezone: 'Asia/Tokyo' } }} actions={fakeActions()} api={api} />);
    return { ...r, api };
  };
  const sentSettings = async (r: ReturnType<typeof setup>) => {
    r.findByTestId(LoadingButton, 'preview').trigger('onClick');
    await vi.waitFor(() => expect(r.api.previewSettings).toHaveBeenCalled());
    return (r.api.previewSettings.mock.calls.at(-1) as unknown[])[0] as PortalSettings;
  };

  it('adds a reason with its own code, relabels, reorders and removes; published codes are read-only', async () => {
    const r = setup();
    await r.waitFor(() => expect(r.findByTestId(Input, 'reason-0-code').props.value).toBe(defaults[0]!.code));
    expect(r.findByTestId(Input, 'reason-0-code').props).toMatchObject({ readOnly: true, label: w.published });

    r.findByTestId(Button, 'reason-add').trigger('onClick');
    const last = defaults.length;
    await r.waitFor(() => expect(r.findByTestId(Input, `reason-${last}-code`).props).toMatchObject({ readOnly: false, label: w.code }));
    fire(r.findByTestId(Input, `reason-${last}-code`), 'onChange', 'price');
    fire(r.findByTestId(Input, `reason-${last}-ja`), 'onChange', '価格が合わない');
    fire(r.findByTestId(Input, `reason-${last}-en`), 'onChange', 'Price does not fit');
    await r.waitFor(() => expect(r.findByTestId(Input, `reason-${last}-en`).props.value).toBe('Price does not fit'));
    // Move it to the top, one step at a time.
    for (let i = last; i > 0; i -= 1) {
      r.findByTestId(Button, `reason-${i}-up`).trigger('onClick');
      await r.waitFor(() => expect(r.findByTestId(Input, `reason-${i - 1}-code`).props.value).toBe('price'));
    }
    fire(r.findByTestId(Input, 'reason-1-ja'), 'onChange', '予算がない');
    r.findByTestId(Button, `reason-${last}-remove`).trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Input, `reason-${last}-code`)).toBeNull());

    const sent = await sentSettings(r);
    expect(sent.recycle.reasons.map((x) => x.code)).toEqual(['price', ...defaults.slice(0, -1).map((x) => x.code)]);
    expect(sent.recycle.reasons[0]).toEqual({ code: 'price', ja: '価格が合わない', en: 'Price does not fit' });
    expect(sent.recycle.reasons[1]).toMatchObject({ code: defaults[0]!.code, ja: '予算がない' });
  });

  it('names the field of a bad or duplicate code and blocks preview', async () => {
    const r = setup();
    await r.waitFor(() => expect(r.findByTestId(Button, 'reason-add')).toBeTruthy());
    const last = defaults.length;
    r.findByTestId(Button, 'reason-add').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Input, `reason-${last}-code`)).toBeTruthy());
    fire(r.findByTestId(Input, `reason-${last}-code`), 'onChange', 'Price!');
    fire(r.findByTestId(Input, `reason-${last}-ja`), 'onChange', '価格');
    fire(r.findByTestId(Input, `reason-${last}-en`), 'onChange', 'Price');
    await r.waitFor(() => expect(r.findByTestId(Input, `reason-${last}-code`).props.validationMessage).toContain(w.format));
    expect(r.findByTestId(LoadingButton, 'preview').props.disabled).toBe(true);

    r.findByTestId(Button, 'reason-add').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Input, `reason-${last + 1}-code`)).toBeTruthy());
    fire(r.findByTestId(Input, `reason-${last}-code`), 'onChange', 'price');
    fire(r.findByTestId(Input, `reason-${last + 1}-code`), 'onChange', 'price');
    fire(r.findByTestId(Input, `reason-${last + 1}-ja`), 'onChange', '価格2');
    fire(r.findByTestId(Input, `reason-${last + 1}-en`), 'onChange', 'Price 2');
    await r.waitFor(() => expect(r.findByTestId(Input, `reason-${last + 1}-code`).props.validationMessage).toBe(w.duplicate));
    expect(r.findByTestId(Input, `reason-${last}-code`).props.validationMessage).toBeUndefined();
  });
});
