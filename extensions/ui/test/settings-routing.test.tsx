import { describe, expect, it, vi } from 'vitest';
import { Accordion, Button, Input, LoadingButton, NumberInput, Select, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { okResult, previewResult, settingsView } from '../fixtures/card-fixtures';
import { fakeActions, fakeApi, fire } from './fake-api';

// Issue 17: a 関西 pool and a territory rule, built with the plain fields and sent as settings.
describe('routing rules and pools on the settings page', () => {
  const setup = () => {
    const api = fakeApi({ getSettings: async () => okResult(settingsView()), previewSettings: async () => okResult(previewResult()) });
    const r = createRenderer('settings');
    r.render(<SettingsPage context={{ user: { locale: 'ja-JP' }, portal: { timezone: 'Asia/Tokyo' } }} actions={fakeActions()} api={api} />);
    return { ...r, api };
  };

  it('adds a pool with a weighted member, a rule to it, the cap, the fallback and the reassign hours', async () => {
    const r = setup();
    await r.waitFor(() => expect(r.findByTestId(Button, 'routing-add-pool')).toBeTruthy());
    r.findByTestId(Button, 'routing-add-pool').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Input, 'pool-0-name')).toBeTruthy());
    fire(r.findByTestId(Input, 'pool-0-name'), 'onChange', '関西営業チーム');
    fire(r.findByTestId(Select, 'pool-0-add'), 'onChange', '301');
    await r.waitFor(() => expect(r.findByTestId(NumberInput, 'pool-0-member-0-weight')).toBeTruthy());
    fire(r.findByTestId(NumberInput, 'pool-0-member-0-weight'), 'onChange', 2);
    r.findByTestId(Button, 'routing-add-rule').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Input, 'rule-0-condition-0-values')).toBeTruthy());
    expect(r.findByTestId(Select, 'rule-0-target').props.options?.map((o: { label: string }) => o.label)).toEqual(['プール: 関西営業チーム', 'チーム: マーケティング部', 'チーム: インサイドセールス部', 'チーム: フィールドセールス部']);
    fire(r.findByTestId(Input, 'rule-0-name'), 'onChange', '地域ルール: 関西');
    fire(r.findByTestId(Input, 'rule-0-condition-0-values'), 'onChange', '大阪府、京都府, 兵庫県');
    fire(r.findByTestId(NumberInput, 'routing-capacity'), 'onChange', 8);
    fire(r.findByTestId(Select, 'routing-fallback'), 'onChange', '401');
    fire(r.findByTestId(NumberInput, 'routing-reassign-after'), 'onChange', 4);
    await r.waitFor(() => expect(r.findByTestId(NumberInput, 'routing-reassign-after').props.value).toBe(4));
    r.findByTestId(LoadingButton, 'preview').trigger('onClick');
    await vi.waitFor(() => expect(r.api.previewSettings).toHaveBeenCalled());
    const sent = (r.api.previewSettings.mock.calls.at(-1) as unknown[])[0] as PortalSettings;
    expect(sent.routing).toMatchObject({
      capacityPerRep: 8,
      fallbackOwnerId: '401',
      reassignAfterHours: 4,
      pools: [{ id: 'pool_1', name: '関西営業チーム', members: [{ ownerId: '301', weight: 2, capacity: null }] }],
      rules: [{ id: 'rule_1', name: '地域ルール: 関西', enabled: true, conditions: [{ object: 'contact', property: 'state', op: 'in', values: ['大阪府', '京都府', '兵庫県'] }], target: { type: 'pool', poolId: 'pool_1' } }],
    });
  });

  const poolAndRule = async (locale: string) => {
    const api = fakeApi({ getSettings: async () => okResult(settingsView()), previewSettings: async () => okResult(previewResult()) });
    const r = createRenderer('settings');
    r.render(<SettingsPage context={{ user: { locale }, portal: { timezone: 'Asia/Tokyo' } }} actions={fakeActions()} api={api} />);
    await r.waitFor(() => expect(r.findByTestId(Button, 'routing-add-pool')).toBeTruthy());
    r.findByTestId(Button, 'routing-add-pool').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'routing-add-rule').props.disabled).toBe(false));
    r.findByTestId(Button, 'routing-add-rule').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Input, 'rule-0-condition-0-values')).toBeTruthy());
    return { ...r, api };
  };

  it('edits every condition of a rule: add, AND → OR, a message next to the condition, remove (日本語)', async () => {
    const r = await poolAndRule('ja-JP');
    // A fresh condition has no value yet: the message sits under that condition's own input.
    await r.waitFor(() => expect(r.findByTestId(Input, 'rule-0-condition-0-values').props.validationMessage).toBe('値を入力してください（「値あり」「値なし」以外の条件には値が必要です）'));
    // The page's error summary names the rule and the condition, and 開く opens the section.
    const summary = 'error-routing.rules.0.conditions.0.values';
    expect(r.findByTestId(Text, summary).text).toBe('ルーティング（担当の割り当て） › 1. ルール名 › 条件 1 › 値（カンマ区切り）: 値を入力してください（「値あり」「値なし」以外の条件には値が必要です）');
    expect(r.findByTestId(Accordion, 'section-routing-rules').props.open).toBe(false);
    r.findByTestId(Button, `${summary}-open`).trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Accordion, 'section-routing-rules').props.open).toBe(true));
    fire(r.findByTestId(Input, 'rule-0-condition-0-values'), 'onChange', '大阪府, 京都府');
    await r.waitFor(() => expect(r.findByTestId(Input, 'rule-0-condition-0-values').props.validationMessage).toBeUndefined());

    r.findByTestId(Button, 'rule-0-add-condition').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Select, 'rule-0-condition-1-object')).toBeTruthy());
    fire(r.findByTestId(Select, 'rule-0-condition-1-object'), 'onChange', 'company');
    fire(r.findByTestId(Input, 'rule-0-condition-1-property'), 'onChange', 'numberofemployees');
    fire(r.findByTestId(Select, 'rule-0-condition-1-op'), 'onChange', 'gte');
    fire(r.findByTestId(Input, 'rule-0-condition-1-values'), 'onChange', '千');
    await r.waitFor(() => expect(r.findByTestId(Input, 'rule-0-condition-1-values').props.validationMessage).toBe('「以上」「以下」の値は数値で入力してください（「千」は数値ではありません）'));
    expect(r.findByTestId(Input, 'rule-0-condition-0-values').props.validationMessage).toBeUndefined();
    fire(r.findByTestId(Input, 'rule-0-condition-1-values'), 'onChange', '1000');

    r.findByTestId(Button, 'rule-0-add-condition').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Select, 'rule-0-condition-2-op')).toBeTruthy());
    fire(r.findByTestId(Input, 'rule-0-condition-2-property'), 'onChange', 'industry');
    fire(r.findByTestId(Select, 'rule-0-condition-2-op'), 'onChange', 'known');
    await r.waitFor(() => expect(r.maybeFindByTestId(Input, 'rule-0-condition-2-values')).toBeNull());

    expect(r.findByTestId(Select, 'rule-0-match').props.options?.map((o: { label: string }) => o.label)).toEqual(['すべて満たす（AND）', 'いずれかを満たす（OR）']);
    fire(r.findByTestId(Select, 'rule-0-match'), 'onChange', 'any');
    await r.waitFor(() => expect(r.findByTestId(Select, 'rule-0-match').props.value).toBe('any'));
    r.findByTestId(Button, 'rule-0-condition-1-remove').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Select, 'rule-0-condition-2-op')).toBeNull());
    expect(r.findByTestId(Input, 'rule-0-condition-1-property').props.value).toBe('industry');

    r.findByTestId(LoadingButton, 'preview').trigger('onClick');
    await vi.waitFor(() => expect(r.api.previewSettings).toHaveBeenCalled());
    const sent = (r.api.previewSettings.mock.calls.at(-1) as unknown[])[0] as PortalSettings;
    expect(sent.routing.rules[0]).toMatchObject({
      match: 'any',
      conditions: [
        { object: 'contact', property: 'state', op: 'in', values: ['大阪府', '京都府'] },
        { object: 'contact', property: 'industry', op: 'known', values: [] },
      ],
    });

    // Back to AND: the field is left out (the schema's default), as documents were before.
    fire(r.findByTestId(Select, 'rule-0-match'), 'onChange', 'all');
    r.findByTestId(LoadingButton, 'preview').trigger('onClick');
    await vi.waitFor(() => expect(r.api.previewSettings).toHaveBeenCalledTimes(2));
    expect(((r.api.previewSettings.mock.calls.at(-1) as unknown[])[0] as PortalSettings).routing.rules[0]).not.toHaveProperty('match');
  });

  it('says the same in English: operators, AND/OR, the message next to the condition', async () => {
    const r = await poolAndRule('en-US');
    await r.waitFor(() => expect(r.findByTestId(Input, 'rule-0-condition-0-values').props.validationMessage).toBe('Enter a value (every operator but "is known" / "is unknown" needs one)'));
    expect(r.findByTestId(Input, 'rule-0-condition-0-values').props.label).toBe('Values (comma-separated)');
    expect(r.findByTestId(Select, 'rule-0-condition-0-op').props.options?.map((o: { label: string }) => o.label)).toEqual(['equals', 'is any of', 'contains', 'at least', 'at most', 'is known', 'is unknown']);
    r.findByTestId(Button, 'rule-0-add-condition').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Select, 'rule-0-match')).toBeTruthy());
    expect(r.findByTestId(Select, 'rule-0-match').props.options?.map((o: { label: string }) => o.label)).toEqual(['All of them (AND)', 'Any of them (OR)']);
    expect(r.findByTestId(Button, 'rule-0-add-condition').text).toBe('Add a condition');
    expect(r.findByTestId(Button, 'rule-0-condition-1-remove').text).toBe('Remove the condition');
  });
});
