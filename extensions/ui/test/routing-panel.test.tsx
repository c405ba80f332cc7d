import { describe, expect, it, vi } from 'vitest';
import { Alert, Button, Input, Tag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { OutOfOfficeListView, RoutingPanelView } from '@tossup/shared/routing-dto';
import type { RoutingApiClient } from '@tossup/ui/client/routing-api-client';
import { TimelineCard } from '@tossup/ui/components/TimelineCard';
import { okResult, timelineView } from '../fixtures/card-fixtures';
import { cardContext, fakeActions, fakeApi, fire } from './fake-api';

const AT = Date.UTC(2026, 10, 27, 1, 0);
const PANEL: RoutingPanelView = {
  path: { ja: '地域ルール: 関西 → 関西営業チーム → 山田 太郎（稼働中・担当 3/8件）', en: '地域ルール: 関西 → 関西営業チーム → 太郎 山田 (available, 3/8 open)' },
  pathAt: AT,
  warning: null,
  ladder: [
    { step: 'reminder', state: 'done', at: AT, to: '山田 太郎' },
    { step: 'breach', state: 'done', at: AT, to: '山田 太郎' },
    { step: 'escalation', state: 'done', at: AT, to: '田中 部長' },
    { step: 'reassign', state: 'pending', at: null, to: null },
  ],
};
const NONE: OutOfOfficeListView = { ranges: [], canEditOthers: false, ownerId: '301' };

function routingApi(overrides: Partial<RoutingApiClient> = {}) {
  return {
    getRouting: vi.fn(async () => okResult(PANEL)),
    listOutOfOffice: vi.fn(async () => okResult(NONE)),
    addOutOfOffice: vi.fn(async (input: { from: string; to: string }) => okResult<OutOfOfficeListView>({ ...NONE, ranges: [{ id: '7', ownerId: '301', ownerName: '鈴木 健太', from: input.from, to: input.to, note: null }] })),
    removeOutOfOffice: vi.fn(async () => okResult(NONE)),
    ...overrides,
  };
}

// Issue 17: the tab card shows the routing path, the escalation ladder and 「不在設定」.
describe('routing panel in the tab card', () => {
  const setup = (routing = routingApi()) => {
    const r = createRenderer('crm.record.tab');
    const api = fakeApi({ getTimeline: async () => okResult(timelineView()) });
    r.render(<TimelineCard context={cardContext('ja')} actions={fakeActions()} api={api} routingApi={routing} />);
    return { ...r, routing };
  };

  it('shows the path in words and each rung of the ladder', async () => {
    const r = setup();
    await r.waitFor(() => expect(r.findByTestId(Text, 'routing-path').text).toBe(PANEL.path!.ja));
    expect(r.findAll(Tag).map((tag) => tag.text).filter((x) => /^(リマインド|期限超過|エスカレーション|再割当)/.test(x ?? ''))).toEqual([
      'リマインド: 実施済み 2026/11/27 10:00 → 山田 太郎',
      '期限超過: 実施済み 2026/11/27 10:00 → 山田 太郎',
      'エスカレーション: 実施済み 2026/11/27 10:00 → 田中 部長',
      '再割当: 未到来',
    ]);
  });

  it('warns when nobody was available', async () => {
    const r = setup(routingApi({ getRouting: vi.fn(async () => okResult({ ...PANEL, warning: { ja: '対応可能な担当者がいなかったため、代替の担当者に割り当てました', en: 'x' } })) }));
    await r.waitFor(() => expect(r.findAll(Alert).some((a) => a.text?.includes('代替の担当者に割り当てました'))).toBe(true));
  });

  it('lets the rep register their own out-of-office days', async () => {
    const r = setup();
    await r.waitFor(() => expect(r.findByTestId(Input, 'ooo-from')).toBeTruthy());
    expect(r.findByTestId(Button, 'ooo-add').props.disabled).toBe(true);
    fire(r.findByTestId(Input, 'ooo-from'), 'onChange', '2026-12-28');
    fire(r.findByTestId(Input, 'ooo-to'), 'onChange', '2027-01-04');
    await r.waitFor(() => expect(r.findByTestId(Button, 'ooo-add').props.disabled).toBe(false));
    r.findByTestId(Button, 'ooo-add').trigger('onClick');
    await r.waitFor(() => expect(r.routing.addOutOfOffice).toHaveBeenCalledWith({ from: '2026-12-28', to: '2027-01-04' }));
    await r.waitFor(() => expect(r.findByTestId(Button, 'ooo-remove-7')).toBeTruthy());
  });
});
