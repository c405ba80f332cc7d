/**
 * The app's settings page: department mapping, scoring rules, MQL/SQL/gate
 * conditions, SLA hours and calendar, routing and escalation, one section each
 * (settings/). Validation messages come from the same zod schema the backend saves
 * with; before saving, the admin previews how many current contacts would change
 * stage under the edited rules (docs/product.md "Admins"), and the page warns
 * while no escalation owner is set. The admin console (issue 16) adds the test on a
 * contact and the history: drafts, publishing, restore, export and import.
 */
import { useState } from 'react';
import { Flex } from '@hubspot/ui-extensions';
import { createCardApiClient, type CardApiClient } from '../client/card-api-client';
import { createRoutingApiClient, type RoutingApiClient } from '../client/routing-api-client';
import { LoadError, Loading } from './CardStates';
import { i18nOf, type ActionsLike, type SettingsContextLike } from './card-context';
import { AwayDaysSection } from './settings/AwayDaysSection';
import { ContactTestSection } from './settings/ContactTestSection';
import { DepartmentsSection } from './settings/DepartmentsSection';
import { FormsSection } from './settings/FormsSection';
import { FullImpactRun } from './settings/FullImpactRun';
import { PreviewAndSave } from './settings/PreviewAndSave';
import { RejectReasonsSection } from './settings/RejectReasonsSection';
import { RoutingSection } from './settings/RoutingSection';
import { RoutingRulesSection } from './settings/RoutingRulesSection';
import { ScoringSection } from './settings/ScoringSection';
import { SettingsNotices } from './settings/SettingsNotices';
import { SlaSection } from './settings/SlaSection';
import { ThresholdsSection } from './settings/ThresholdsSection';
import { VersionsSection } from './settings/VersionsSection';
import { locateErrors, type SectionId } from './settings/settings-error-summary';
import { createSettingsForm } from './settings/settings-form';
import { useSettingsEditor } from './settings/use-settings-editor';
import { useSettingsVersions } from './settings/use-settings-versions';
import { useImpactRun } from './settings/use-impact-run';

export interface SettingsPageProps {
  context: SettingsContextLike;
  actions: ActionsLike;
  api?: CardApiClient;
  /** 「不在設定」 of everyone (issue 17); the tab card's client, shared. */
  routingApi?: RoutingApiClient;
  /** How often the full-portal impact run's progress is asked for (default IMPACT_RUN_POLL_MS; tests shorten it). */
  impactPollMs?: number;
}

export function SettingsPage({ context, actions, api, routingApi, impactPollMs }: SettingsPageProps) {
  const i18n = i18nOf(context);
  const [client] = useState<CardApiClient>(() => api ?? createCardApiClient());
  const [routingClient] = useState<RoutingApiClient>(() => routingApi ?? createRoutingApiClient());
  const editor = useSettingsEditor(client, actions, i18n);
  // Publishing or restoring changes the live settings: the editor starts again from them.
  const versions = useSettingsVersions(client, actions, i18n, () => void editor.reload());
  // The full-portal run of the draft (issue 16); its section appears once a preview says the portal is larger than the sample.
  const [portalSample, setPortalSample] = useState<{ size: number; total: number } | null>(null);
  const fullRun = useImpactRun(client, editor.phase === 'ready' ? editor.s : null, editor.phase === 'ready' && editor.view.canEdit && portalSample !== null, impactPollMs);
  const sample = editor.phase === 'ready' ? editor.preview?.sample : undefined;
  if (sample && sample.total > sample.size && (portalSample?.size !== sample.size || portalSample.total !== sample.total)) setPortalSample(sample);
  // Which sections are open; the error summary opens the one an invalid field is in.
  const [open, setOpen] = useState<Partial<Record<SectionId, boolean>>>({ departments: true });
  const sections = {
    open,
    toggle: (id: SectionId) => setOpen((o) => ({ ...o, [id]: !(o[id] ?? false) })),
    show: (id: SectionId) => setOpen((o) => ({ ...o, [id]: true })),
  };

  if (editor.phase === 'loading') return <Loading i18n={i18n} />;
  if (editor.phase === 'error') return <LoadError i18n={i18n} error={editor.error} onRetry={() => void editor.reload()} />;
  const { view, s, messages } = editor;
  const form = createSettingsForm(i18n, s, !view.canEdit, messages, editor.edit, sections);

  return (
    <Flex direction="column" gap="md">
      {/* No page heading: HubSpot titles the app's settings page with the app's name already. */}
      <SettingsNotices
        i18n={i18n}
        s={s}
        readOnly={form.readOnly}
        warnings={editor.preview?.warnings ?? view.warnings}
        actionError={editor.actionError}
        valid={editor.valid}
        documentMessage={messages['']}
        errors={locateErrors(i18n, messages)}
        onShowSection={sections.show}
        updatedAt={view.updatedAt}
      />
      <DepartmentsSection form={form} teams={view.teams} />
      <ScoringSection form={form} />
      <FormsSection form={form} client={client} />
      <ThresholdsSection form={form} rules={editor} />
      <SlaSection form={form} />
      <RoutingSection form={form} teams={view.teams} owners={view.owners} />
      <RoutingRulesSection form={form} teams={view.teams} owners={view.owners} />
      <AwayDaysSection i18n={i18n} owners={view.owners} client={routingClient} />
      <RejectReasonsSection form={form} publishedCodes={view.settings.recycle.reasons.map((r) => r.code)} />
      {view.canEdit ? <PreviewAndSave i18n={i18n} editor={editor} /> : null}
      {view.canEdit && (portalSample || fullRun.run) ? <FullImpactRun i18n={i18n} state={fullRun} sample={portalSample} valid={editor.valid} liveToken={view.version} /> : null}
      {view.canEdit ? <ContactTestSection i18n={i18n} client={client} edited={s} editedValid={editor.valid} /> : null}
      <VersionsSection i18n={i18n} versions={versions} canEdit={view.canEdit} edited={s} editedValid={editor.valid} />
    </Flex>
  );
}
