import { describe, expect, it, vi } from 'vitest';
import { Button, Input, Select, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { ApiResult } from '@tossup/shared/card-dto';
import type { OutOfOfficeListView } from '@tossup/shared/routing-dto';
import type { RoutingApiClient } from '@tossup/ui/client/routing-api-client';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { okResult, previewResult, settingsView } from '../fixtures/card-fixtures';
import { fakeActions, fakeApi, fire } from './fake-api';

// Issue 17: everyone's 「不在設定」 on the settings page; a super admin adds and removes anyone's days.
const RANGE = { id: '11', ownerId: '301', ownerName: '鈴木 健太', from: '2026-04-27', to: '2026-05-06', note: 'GW休暇' };
const list = (ranges: OutOfOfficeListView['ranges'], canEditOthers = true): ApiResult<OutOfOfficeListView> => ({ ok: true, data: { ranges, canEditOthers, ownerId: null } });

function fakeRoutingApi(over: Partial<RoutingApiClient> = {}) {
  return {
    getRouting: vi.fn(async () => {
      throw new Error('unexpected call to getRouting');
    }),
    listOutOfOffice: vi.fn(over.listOutOfOffice ?? (async () => list([RANGE]))),
    addOutOfOffice: vi.fn(over.addOutOfOffice ?? (async (input: { ownerId?: string; from: string; to: string; note?: string }) => list([RANGE, { id: '12', ownerId: input.ownerId ?? '', ownerName: '佐藤 美咲', from: input.from, to: input.to, note: input.note ?? null }]))),
    removeOutOfOffice: vi.fn(over.removeOutOfOffice ?? (async () => list([]))),
  } satisfies RoutingApiClient;
}

function setup(locale: string, routingApi: RoutingApiClient) {
  const api = fakeApi({ getSettings: async () => okResult(settingsView()), previewSettings: async () => okResult(previewResult()) });
  const r = createRenderer('settings');
  r.render(<SettingsPage context={{ user: { locale }, portal: { timezone: 'Asia/Tokyo' } }} actions={fakeActions()} api={api} routingApi={routingApi} />);
  return r;
}

describe('everyone’s away days on the settings page', () => {
  it('lists every rep’s days and adds one for another rep (日本語)', async () => {
    const routing = fakeRoutingApi();
    const r = setup('ja-JP', routing);
    await r.waitFor(() => expect(r.findByTestId(Button, 'away-remove-11')).toBeTruthy());
    expect(r.findByTestId(Text, 'away-11-line').text).toBe('鈴木 健太: 2026-04-27 〜 2026-05-06（GW休暇）');
    expect(r.findByTestId(Button, 'away-add').props.disabled).toBe(true);
    fire(r.findByTestId(Select, 'away-owner'), 'onChange', '201');
    fire(r.findByTestId(Input, 'away-from'), 'onChange', '2026-04-06');
    fire(r.findByTestId(Input, 'away-to'), 'onChange', ' 2026-04-10 ');
    fire(r.findByTestId(Input, 'away-note'), 'onChange', '出張');
    await r.waitFor(() => expect(r.findByTestId(Button, 'away-add').props.disabled).toBe(false));
    r.findByTestId(Button, 'away-add').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'away-done').text).toBe('✓ 佐藤 美咲 の不在（2026-04-06 〜 2026-04-10）を登録しました。'));
    expect(routing.addOutOfOffice).toHaveBeenCalledWith({ ownerId: '201', from: '2026-04-06', to: '2026-04-10', note: '出張' });
    expect(r.findByTestId(Text, 'away-12-line').text).toBe('佐藤 美咲: 2026-04-06 〜 2026-04-10（出張）');
    expect(r.findByTestId(Input, 'away-from').props.value).toBe('');
  });

  it('shows the server’s message under the field it names, and removes a range', async () => {
    const routing = fakeRoutingApi({
      addOutOfOffice: async () => ({
        ok: false,
        error: {
          code: 'invalid_request',
          message_ja: '入力内容を確認してください。終了日: 終了日は開始日と同じ日か、それより後にしてください',
          message_en: 'Check the input. To: The end date must be on or after the start date',
          fields: [{ path: 'to', message_ja: '終了日: 終了日は開始日と同じ日か、それより後にしてください', message_en: 'To: The end date must be on or after the start date' }],
        },
      }),
    });
    const r = setup('ja-JP', routing);
    await r.waitFor(() => expect(r.findByTestId(Button, 'away-remove-11')).toBeTruthy());
    fire(r.findByTestId(Select, 'away-owner'), 'onChange', '301');
    fire(r.findByTestId(Input, 'away-from'), 'onChange', '2026-04-10');
    fire(r.findByTestId(Input, 'away-to'), 'onChange', '2026-04-06');
    await r.waitFor(() => expect(r.findByTestId(Button, 'away-add').props.disabled).toBe(false));
    r.findByTestId(Button, 'away-add').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Input, 'away-to').props.validationMessage).toBe('終了日: 終了日は開始日と同じ日か、それより後にしてください'));
    expect(r.findByTestId(Input, 'away-to').props.error).toBe(true);
    expect(r.findByTestId(Input, 'away-from').props.validationMessage).toBeUndefined();
    expect(r.maybeFindByTestId(Text, 'away-done')).toBeNull();

    r.findByTestId(Button, 'away-remove-11').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'away-none').text).toBe('今日以降の不在の登録はありません。'));
    expect(routing.removeOutOfOffice).toHaveBeenCalledWith('11');
  });

  it('in English; someone who may not edit others sees the list only', async () => {
    const en = setup('en-US', fakeRoutingApi());
    await en.waitFor(() => expect(en.findByTestId(Text, 'away-11-line')).toBeTruthy());
    expect(en.findByTestId(Text, 'away-11-line').text).toBe('鈴木 健太: 2026-04-27 – 2026-05-06 (GW休暇)');
    expect(en.findByTestId(Input, 'away-to').props.label).toBe('To (YYYY-MM-DD)');
    expect(en.findByTestId(Button, 'away-add').text).toBe('Add');

    const viewer = setup('en-US', fakeRoutingApi({ listOutOfOffice: async () => list([RANGE], false) }));
    await viewer.waitFor(() => expect(viewer.findByTestId(Text, 'away-11-line')).toBeTruthy());
    expect(viewer.maybeFindByTestId(Button, 'away-add')).toBeNull();
    expect(viewer.maybeFindByTestId(Button, 'away-remove-11')).toBeNull();
    expect(viewer.findByTestId(Text, 'away-read-only').text).toBe('Only super admins can add or remove other reps’ away days.');
  });
});
