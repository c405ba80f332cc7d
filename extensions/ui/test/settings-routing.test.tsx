import { describe, expect, it, vi } from 'vitest';
import { Button, Input, LoadingButton, NumberInput, Select } from '@hubspot/ui-extensions';
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
    await r.waitFor(() => expect(r.findByTestId(Input, 'rule-0-values')).toBeTruthy());
    expect(r.findByTestId(Select, 'rule-0-target').props.options?.map((o: { label: string }) => o.label)).toEqual(['プール: 関西営業チーム', 'チーム: マーケティング部', 'チーム: インサイドセールス部', 'チーム: フィールドセールス部']);
    fire(r.findByTestId(Input, 'rule-0-name'), 'onChange', '地域ルール: 関西');
    fire(r.findByTestId(Input, 'rule-0-values'), 'onChange', '大阪府、京都府, 兵庫県');
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
});
