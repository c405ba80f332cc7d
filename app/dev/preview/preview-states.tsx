/**
 * Every state of every card, as the preview shows it and the screenshot script
 * photographs it: the real components with a fixture-backed API client, driven by
 * the same interactions a person would make (press toss-up, open the reject form,
 * preview edited settings).
 */
import { Accordion, Alert, Button, EmptyState, ErrorState, Flex, Input, LoadingButton, LoadingSpinner, NumberInput, Select, Table, Text, TextArea } from '@hubspot/ui-extensions';
import type { CardApiClient } from '@tossup/ui/client/card-api-client';
import type { RoutingApiClient } from '@tossup/ui/client/routing-api-client';
import type { OutOfOfficeListView } from '@tossup/shared/routing-dto';
import { HandoffCard } from '@tossup/ui/components/HandoffCard';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { TimelineCard } from '@tossup/ui/components/TimelineCard';
import type { ApiResult } from '@tossup/shared/card-dto';
import type { Locale } from '@tossup/shared/i18n';
import {
  errResult,
  FORBIDDEN,
  gatePassedView,
  handedOffView,
  handoffView,
  LOAD_ERROR,
  NOT_FOUND,
  notAuthorisedHandoffView,
  okResult,
  PERMISSIONS,
  previewResult,
  settingsView,
  slaBreached,
  beforeMqlView,
  dealTimelineItems,
  PEOPLE,
  T0,
  managerView,
  repAcceptedView,
  repBreachedView,
  repView,
  summary,
  timelineView,
} from '@tossup/ui/fixtures/card-fixtures';
import { contactTestView, diffView, impactRunDone, impactRunView, versionsList } from '@tossup/ui/fixtures/settings-console-fixtures';
import { fire, type PreviewLocation, type RenderOptions, type Renderer } from './render-to-html';

export type PreviewCard = 'handoff' | 'timeline' | 'settings';

export interface PreviewState {
  card: PreviewCard;
  id: string;
  title: string;
  location: PreviewLocation;
  build(locale: Locale): Omit<RenderOptions, 'location'>;
}

const never = <T,>(): Promise<T> => new Promise<T>(() => undefined);

/** A client answering from fixtures; anything a state does not expect stays pending (shown as loading). */
export function fixtureApi(answers: Partial<{ [K in keyof CardApiClient]: () => Promise<ApiResult<unknown>> }>): CardApiClient {
  const pick = <K extends keyof CardApiClient>(k: K) => (answers[k] ?? never) as unknown as CardApiClient[K];
  return {
    getHandoff: pick('getHandoff'),
    saveBant: pick('saveBant'),
    tossUp: pick('tossUp'),
    getTimeline: pick('getTimeline'),
    accept: pick('accept'),
    reject: pick('reject'),
    getSettings: pick('getSettings'),
    saveSettings: pick('saveSettings'),
    previewSettings: pick('previewSettings'),
    listSettingsVersions: pick('listSettingsVersions'),
    getSettingsVersion: pick('getSettingsVersion'),
    saveSettingsDraft: pick('saveSettingsDraft'),
    publishSettingsVersion: pick('publishSettingsVersion'),
    restoreSettingsVersion: pick('restoreSettingsVersion'),
    diffSettings: pick('diffSettings'),
    testContact: pick('testContact'),
    listForms: pick('listForms'),
    startImpactRun: pick('startImpactRun'),
    getImpactRun: pick('getImpactRun'),
    getLatestImpactRun: pick('getLatestImpactRun'),
    cancelImpactRun: pick('cancelImpactRun'),
  };
}

const actions = { addAlert: () => undefined, refreshObjectProperties: () => undefined };
const cardContext = (locale: Locale, objectTypeId = '0-1') => ({
  user: { locale: locale === 'ja' ? 'ja-jp' : 'en-us' },
  portal: { timezone: 'Asia/Tokyo' },
  crm: { objectId: objectTypeId === '0-3' ? 8001 : 5001, objectTypeId },
});
const settingsContext = (locale: Locale) => ({ user: { locale: locale === 'ja' ? 'ja-jp' : 'en-us' }, portal: { timezone: 'Asia/Tokyo' } });

/** Waits until the component shows something other than the spinner. */
const loaded = (r: Renderer) => r.waitFor(() => {
  if (r.maybeFind(LoadingSpinner)) throw new Error('still loading');
});

function handoff(id: string, title: string, api: () => CardApiClient, settle: (r: Renderer) => Promise<void> = loaded): PreviewState {
  return {
    card: 'handoff',
    id,
    title,
    location: 'crm.record.sidebar',
    build: (locale) => ({ element: <HandoffCard context={cardContext(locale)} actions={actions} api={api()} />, settle }),
  };
}

function timeline(id: string, title: string, api: () => CardApiClient, settle: (r: Renderer) => Promise<void> = loaded, objectTypeId = '0-1'): PreviewState {
  return {
    card: 'timeline',
    id,
    title,
    location: 'crm.record.tab',
    build: (locale) => ({ element: <TimelineCard context={cardContext(locale, objectTypeId)} actions={actions} api={api()} />, settle }),
  };
}

/** Everyone's away days for the settings page (issue 17): two reps, seen by a super admin (or, read-only, by someone else). */
function fixtureRoutingApi(canEditOthers: boolean): RoutingApiClient {
  const list: OutOfOfficeListView = {
    canEditOthers,
    ownerId: null,
    ranges: [
      { id: '11', ownerId: '301', ownerName: '鈴木 健太', from: '2026-04-27', to: '2026-05-06', note: 'GW休暇' },
      { id: '12', ownerId: '401', ownerName: '田中 一郎', from: '2026-05-12', to: '2026-05-14', note: '出張' },
    ],
  };
  return {
    getRouting: never as unknown as RoutingApiClient['getRouting'],
    listOutOfOffice: async () => okResult(list),
    addOutOfOffice: async () => okResult(list),
    removeOutOfOffice: async () => okResult(list),
  };
}

function settings(id: string, title: string, api: () => CardApiClient, settle: (r: Renderer) => Promise<void> = loaded): PreviewState {
  return {
    card: 'settings',
    id,
    title,
    location: 'settings',
    build: (locale) => ({ element: <SettingsPage context={settingsContext(locale)} actions={actions} api={api()} routingApi={fixtureRoutingApi(id !== 'read-only')} />, settle }),
  };
}

export const PREVIEW_STATES: readonly PreviewState[] = [
  handoff('loading', 'Loading', () => fixtureApi({}), async () => undefined),
  handoff('error', 'Error', () => fixtureApi({ getHandoff: async () => errResult(LOAD_ERROR) }), (r) => r.waitFor(() => r.find(ErrorState))),
  handoff('empty', 'Empty (contact not evaluated yet)', () => fixtureApi({ getHandoff: async () => errResult(NOT_FOUND) }), (r) => r.waitFor(() => r.findByTestId(Text, 'empty-title'))),
  handoff('is-before-mql', 'Inside Sales: before MQL (gap to MQL)', () => fixtureApi({ getHandoff: async () => okResult(beforeMqlView()) })),
  handoff('gate-blocked', 'Inside Sales: MQL, gate blocked (missing items named)', () => fixtureApi({ getHandoff: async () => okResult(handoffView()) })),
  handoff('gate-passed', 'Inside Sales: gate passed (toss-up enabled)', () => fixtureApi({ getHandoff: async () => okResult(gatePassedView()) })),
  handoff(
    'after-toss-up',
    'After toss-up',
    () => fixtureApi({ getHandoff: async () => okResult(gatePassedView()), tossUp: async () => okResult({ handoff: handedOffView() }) }),
    async (r) => {
      await r.waitFor(() => r.findByTestId(LoadingButton, 'toss-up'));
      r.findByTestId(LoadingButton, 'toss-up').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Alert, 'handed-off'));
    },
  ),
  handoff('rep', 'Sales rep: hand-off at a glance, SLA countdown, accept / reject', () => fixtureApi({ getHandoff: async () => okResult(repView()) })),
  handoff(
    'rep-reject-form',
    'Sales rep: reject with a reason',
    () => fixtureApi({ getHandoff: async () => okResult(repView()) }),
    async (r) => {
      await r.waitFor(() => r.findByTestId(Button, 'reject-open'));
      r.findByTestId(Button, 'reject-open').trigger('onClick');
      await r.waitFor(() => r.findByTestId(LoadingButton, 'reject-confirm'));
    },
  ),
  handoff('rep-breached', 'Sales rep: SLA breached, hours overdue and who it escalated to', () => fixtureApi({ getHandoff: async () => okResult(repBreachedView()) })),
  handoff('rep-accepted', 'Sales rep: accepted', () => fixtureApi({ getHandoff: async () => okResult(repAcceptedView()) })),
  handoff('manager', 'Manager: read-only summary after an escalation', () => fixtureApi({ getHandoff: async () => okResult(managerView()) })),
  handoff('viewer', 'Marketing: read-only while IS works the lead', () => fixtureApi({ getHandoff: async () => okResult(notAuthorisedHandoffView()) })),

  timeline('loading', 'Loading', () => fixtureApi({}), async () => undefined),
  timeline('error', 'Error', () => fixtureApi({ getTimeline: async () => errResult(LOAD_ERROR) }), (r) => r.waitFor(() => r.find(ErrorState))),
  timeline(
    'empty',
    'Empty (no touches yet)',
    () => fixtureApi({ getTimeline: async () => okResult(timelineView({ items: [], total: 0, pageCount: 1, overlaps: [], summary: null, sla: null })) }),
    (r) => r.waitFor(() => r.find(EmptyState)),
  ),
  timeline('rep', 'Assigned rep: summary, SLA countdown, overlap warning', () => fixtureApi({ getTimeline: async () => okResult(timelineView()) }), (r) => r.waitFor(() => r.find(Table))),
  timeline(
    'reject-form',
    'Reject with a reason',
    () => fixtureApi({ getTimeline: async () => okResult(timelineView()) }),
    async (r) => {
      await r.waitFor(() => r.findByTestId(Button, 'reject-open'));
      r.findByTestId(Button, 'reject-open').trigger('onClick');
      await r.waitFor(() => r.findByTestId(LoadingButton, 'reject-confirm'));
    },
  ),
  timeline(
    'after-accept',
    'After accept',
    () => {
      let calls = 0;
      return fixtureApi({
        getTimeline: async () => okResult(calls++ === 0 ? timelineView() : timelineView({ summary: summary({ stage: 'accepted' }), sla: { ...timelineView().sla!, statusUpdate: { status: 'met', dueAt: null, remainingMs: null } } })),
        accept: async () => okResult({ handoff: handedOffView() }),
      });
    },
    async (r) => {
      await r.waitFor(() => r.findByTestId(LoadingButton, 'accept'));
      r.findByTestId(LoadingButton, 'accept').trigger('onClick');
      await r.waitFor(() => {
        r.findByTestId(Alert, 'responded');
        r.find(Table);
      });
    },
  ),
  timeline('sla-breached', 'SLA breached', () => fixtureApi({ getTimeline: async () => okResult(timelineView({ sla: slaBreached() })) }), (r) => r.waitFor(() => r.find(Table))),
  timeline('not-authorised', 'Not authorised (not the assigned rep)', () => fixtureApi({ getTimeline: async () => okResult(timelineView({ permissions: PERMISSIONS.is })) }), (r) => r.waitFor(() => r.find(Table))),
  timeline('deal', 'On a deal: every row names its contact, SLA rows their SLA', () => fixtureApi({ getTimeline: async () => okResult(timelineView({ items: dealTimelineItems() })) }), (r) => r.waitFor(() => r.find(Table)), '0-3'),
  timeline('manager', 'Manager (not the assigned rep): after an escalation, read-only', () => fixtureApi({ getTimeline: async () => okResult(timelineView({ sla: slaBreached(), escalation: { at: T0 - 3 * 3_600_000, to: PEOPLE.manager }, permissions: PERMISSIONS.marketing })) }), (r) => r.waitFor(() => r.find(Table))),

  settings('loading', 'Loading', () => fixtureApi({}), async () => undefined),
  settings('admin', 'Admin: no escalation owner warning', () => fixtureApi({ getSettings: async () => okResult(settingsView()) })),
  settings(
    'invalid',
    'Error summary: every invalid field with its section, and the message next to the field',
    () => fixtureApi({ getSettings: async () => okResult(settingsView()) }),
    async (r) => {
      await r.waitFor(() => r.findByTestId(NumberInput, 'min-bant'));
      fire(r.findByTestId(NumberInput, 'min-bant'), 'onChange', 7);
      fire(r.findByTestId(NumberInput, 'sla-firstTouchHours'), 'onChange', 0);
      await r.waitFor(() => {
        if (!r.findByTestId(NumberInput, 'min-bant').props.validationMessage) throw new Error('not yet');
      });
    },
  ),
  settings(
    'preview',
    'Preview of the edited rules before saving',
    () => fixtureApi({ getSettings: async () => okResult(settingsView()), previewSettings: async () => okResult(previewResult()) }),
    async (r) => {
      await r.waitFor(() => r.findByTestId(NumberInput, 'mql-threshold'));
      fire(r.findByTestId(NumberInput, 'mql-threshold'), 'onChange', 60);
      await r.waitFor(() => {
        if (r.findByTestId(NumberInput, 'mql-threshold').props.value !== 60) throw new Error('not yet');
      });
      r.findByTestId(LoadingButton, 'preview').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Alert, 'preview-result'));
    },
  ),
  // Routing (issue 17): a 関西 pool, a territory rule with two conditions (OR), everyone's away days.
  settings(
    'routing',
    'Routing: a pool, a rule with two conditions combined with OR, everyone’s away days',
    () => fixtureApi({ getSettings: async () => okResult(settingsView()) }),
    async (r) => {
      await r.waitFor(() => r.findByTestId(Button, 'routing-add-pool'));
      r.findByTestId(Accordion, 'section-routing-rules').trigger('onClick');
      r.findByTestId(Button, 'routing-add-pool').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Input, 'pool-0-name'));
      fire(r.findByTestId(Input, 'pool-0-name'), 'onChange', '関西営業チーム');
      fire(r.findByTestId(Select, 'pool-0-add'), 'onChange', '301');
      await r.waitFor(() => r.findByTestId(NumberInput, 'pool-0-member-0-weight'));
      r.findByTestId(Button, 'routing-add-rule').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Input, 'rule-0-condition-0-values'));
      fire(r.findByTestId(Input, 'rule-0-name'), 'onChange', '地域ルール: 関西');
      fire(r.findByTestId(Input, 'rule-0-condition-0-values'), 'onChange', '大阪府, 京都府, 兵庫県');
      r.findByTestId(Button, 'rule-0-add-condition').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Select, 'rule-0-condition-1-object'));
      fire(r.findByTestId(Select, 'rule-0-condition-1-object'), 'onChange', 'company');
      fire(r.findByTestId(Input, 'rule-0-condition-1-property'), 'onChange', 'state');
      fire(r.findByTestId(Input, 'rule-0-condition-1-values'), 'onChange', '大阪府');
      fire(r.findByTestId(Select, 'rule-0-match'), 'onChange', 'any');
      await r.waitFor(() => {
        if (r.findByTestId(Select, 'rule-0-match').props.value !== 'any') throw new Error('not yet');
      });
      await r.waitFor(() => r.findByTestId(Text, 'away-11-line'));
    },
  ),
  // 「全件で試算」 (issue 16): the portal is larger than the sample; the run in progress, then its result.
  ...(['full-run', 'full-run-done'] as const).map((id) =>
    settings(
      id,
      id === 'full-run' ? 'Full-portal impact run in progress (n / m contacts), with cancel' : 'Full-portal impact run finished: the side effects over every contact',
      () =>
        fixtureApi({
          getSettings: async () => okResult(settingsView()),
          previewSettings: async () => okResult({ ...previewResult(), sample: { size: 200, total: 1840 }, impact: impactRunView().impact }),
          startImpactRun: async () => okResult({ run: id === 'full-run' ? impactRunView() : impactRunDone(), created: true }),
          getLatestImpactRun: async () => okResult({ run: null }),
        }),
      async (r) => {
        await r.waitFor(() => r.findByTestId(LoadingButton, 'preview'));
        r.findByTestId(LoadingButton, 'preview').trigger('onClick');
        await r.waitFor(() => r.findByTestId(LoadingButton, 'full-run-start'));
        r.findByTestId(LoadingButton, 'full-run-start').trigger('onClick');
        await r.waitFor(() => r.findByTestId(Text, 'full-run-title'));
      },
    ),
  ),
  // The admin console (issue 16): the rule builder, the contact test, the history.
  settings(
    'rule-builder',
    'Rule builder: a condition added to the MQL rule and one to the hand-off gate',
    () => fixtureApi({ getSettings: async () => okResult(settingsView()) }),
    async (r) => {
      await r.waitFor(() => r.findByTestId(Button, 'rule-mql-0-add'));
      r.findByTestId(Button, 'rule-mql-0-add').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Select, 'rule-mql-0-2-fact'));
      fire(r.findByTestId(Select, 'rule-mql-0-2-fact'), 'onChange', 'email_opens');
      await r.waitFor(() => r.findByTestId(NumberInput, 'rule-mql-0-2-value'));
      r.findByTestId(Button, 'rule-gate-root-add').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Select, 'rule-gate-3-fact'));
      fire(r.findByTestId(Select, 'rule-gate-3-fact'), 'onChange', 'bant_budget');
      await r.waitFor(() => {
        if (r.findByTestId(Select, 'rule-gate-3-fact').props.value !== 'bant_budget') throw new Error('not yet');
      });
    },
  ),
  settings(
    'contact-test',
    'Test on a contact found by e-mail: live settings and the stricter draft side by side',
    () => fixtureApi({ getSettings: async () => okResult(settingsView()), testContact: async () => okResult({ ...contactTestView(), email: 'taro.yamada@example.co.jp' }) }),
    async (r) => {
      await r.waitFor(() => r.findByTestId(Input, 'test-contact-id'));
      fire(r.findByTestId(Input, 'test-contact-id'), 'onChange', 'taro.yamada@example.co.jp');
      await r.waitFor(() => {
        if (r.findByTestId(LoadingButton, 'test-contact-run').props.disabled) throw new Error('not yet');
      });
      r.findByTestId(LoadingButton, 'test-contact-run').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Flex, 'test-draft'));
    },
  ),
  settings(
    'forms',
    'Form classification: the portal\'s forms from HubSpot\'s Forms API, one already given its own category',
    () =>
      fixtureApi({
        getSettings: async () => okResult(settingsView()),
        listForms: async () =>
          okResult({
            source: 'hubspot',
            forms: [
              { title: '資料ダウンロード：導入事例集', id: 'f-1', submissions: 42 },
              { title: 'お問い合わせ', id: 'f-2', submissions: 17 },
              { title: 'DXセミナー申込', id: 'f-3', submissions: 9 },
              { title: '社内テスト用フォーム', id: 'f-4', submissions: 2 },
            ],
          }),
      }),
    async (r) => {
      await r.waitFor(() => r.findByTestId(Accordion, 'section-forms'));
      r.findByTestId(Accordion, 'section-forms').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Button, 'portal-form-3-add'));
      r.findByTestId(Button, 'portal-form-3-add').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Select, 'form-override-0-category'));
      fire(r.findByTestId(Select, 'form-override-0-category'), 'onChange', 'ignore');
      await r.waitFor(() => {
        if (r.findByTestId(Select, 'form-override-0-category').props.value !== 'ignore') throw new Error('not yet');
      });
    },
  ),
  settings(
    'versions',
    'Settings history: versions, a pending draft, and an import diff',
    () => fixtureApi({ getSettings: async () => okResult(settingsView()), listSettingsVersions: async () => okResult(versionsList()), diffSettings: async () => okResult(diffView()) }),
    async (r) => {
      await r.waitFor(() => r.findByTestId(LoadingButton, 'versions-show'));
      r.findByTestId(LoadingButton, 'versions-show').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Flex, 'version-3'));
      fire(r.findByTestId(TextArea, 'settings-import'), 'onChange', JSON.stringify({ gate: { minBantItems: 3 } }));
      await r.waitFor(() => {
        if (r.findByTestId(LoadingButton, 'import-check').props.disabled) throw new Error('not yet');
      });
      r.findByTestId(LoadingButton, 'import-check').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Alert, 'import-diff'));
    },
  ),
  // Issue 14: the reject reasons Sales chooses from, with a new reason being added and the warning of a refused options sync.
  settings(
    'reject-reasons',
    'Reject reasons: a new reason being added; HubSpot refused the last options sync',
    () =>
      fixtureApi({
        getSettings: async () =>
          okResult({
            ...settingsView(),
            warnings: [
              {
                code: 'reject_reason_sync',
                message_ja:
                  '差戻し理由をHubSpotのプロパティ「差戻し理由コード（tossup_reject_reason_code）」に反映できませんでした。反映されるまで、理由コード price は「その他（other）」として記録されます。HubSpotがプロパティ tossup_reject_reason_code の更新を拒否しました（403）。アプリに権限 crm.schemas.contacts.write が必要です。アプリを再インストールして権限を許可し、設定を再度公開してください。',
                message_en:
                  'The reject reasons could not be written to the HubSpot property "Reject reason code" (tossup_reject_reason_code). Until they are, the codes price are recorded as "other". HubSpot refused to update the property tossup_reject_reason_code (403): the app needs the scope crm.schemas.contacts.write. Reinstall the app to grant it, then publish the settings again.',
              },
            ],
          }),
      }),
    async (r) => {
      await r.waitFor(() => r.findByTestId(Button, 'reason-add'));
      r.findByTestId(Button, 'reason-add').trigger('onClick');
      await r.waitFor(() => r.findByTestId(Input, 'reason-7-code'));
      fire(r.findByTestId(Input, 'reason-7-code'), 'onChange', 'Price!');
      fire(r.findByTestId(Input, 'reason-7-ja'), 'onChange', '価格が合わない');
      fire(r.findByTestId(Input, 'reason-7-en'), 'onChange', 'Price does not fit');
      await r.waitFor(() => {
        if (!r.findByTestId(Input, 'reason-7-code').props.validationMessage) throw new Error('not yet');
      });
    },
  ),
  settings('read-only', 'Not authorised (not a super admin)', () => fixtureApi({ getSettings: async () => okResult(settingsView({ canEdit: false })), previewSettings: async () => errResult(FORBIDDEN) })),
];

export function findState(card: string, id: string): PreviewState | undefined {
  return PREVIEW_STATES.find((s) => s.card === card && s.id === id);
}
