/**
 * The app's settings page: department mapping, scoring rules, MQL/SQL/gate
 * conditions, SLA hours and calendar, routing and escalation. Validation messages
 * come from the same zod schema the backend saves with; before saving, the admin
 * previews how many current contacts would change stage under the edited rules
 * (issue 6, product.md "Admins"), and the page warns while no escalation owner is set.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Accordion,
  Alert,
  Button,
  Flex,
  Heading,
  Input,
  List,
  LoadingButton,
  NumberInput,
  Select,
  Text,
  TextArea,
  Toggle,
  ToggleGroup,
} from '@hubspot/ui-extensions';
import { createCardApiClient, type CardApiClient } from '../client/card-api-client';
import type { ApiError, SettingsPreviewView, SettingsView, SettingsWarning } from '@tossup/shared/card-dto';
import { formatDateTime, pick, type MessageKey } from '@tossup/shared/i18n';
import { SCORING_RULE_LABELS } from '@tossup/shared/rule-labels';
import type { PortalSettings, RuleExpr } from '@tossup/shared/settings-schema';
import { ActionError, LoadError, Loading } from './CardStates';
import { i18nOf, type ActionsLike, type I18n, type SettingsContextLike } from './card-context';
import {
  hasEscalationOwner,
  listToText,
  messageFor,
  mqlScoreThreshold,
  setIn,
  textToList,
  textToNumbers,
  validationMessages,
  withMqlScoreThreshold,
} from './settings-draft';

export interface SettingsPageProps {
  context: SettingsContextLike;
  actions: ActionsLike;
  api?: CardApiClient;
}

type Load = { phase: 'loading' } | { phase: 'error'; error: ApiError } | { phase: 'ready'; view: SettingsView<PortalSettings> };

const BEHAVIOR_RULES = ['emailOpen', 'download', 'seminarAttended', 'seminarRegistered'] as const;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function SettingsPage({ context, actions, api }: SettingsPageProps) {
  const i18n = i18nOf(context);
  const [client] = useState<CardApiClient>(() => api ?? createCardApiClient());
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [draft, setDraft] = useState<PortalSettings | null>(null);
  /** Raw text of the advanced JSON rule editors, so a half-typed rule is not lost. */
  const [ruleText, setRuleText] = useState<{ mql: string; sql: string }>({ mql: '', sql: '' });
  const [ruleJsonError, setRuleJsonError] = useState<{ mql: boolean; sql: boolean }>({ mql: false, sql: false });
  const [preview, setPreview] = useState<{ forDraft: string; result: SettingsPreviewView } | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  const adopt = (view: SettingsView<PortalSettings>) => {
    setLoad({ phase: 'ready', view });
    setDraft(view.settings);
    setRuleText({ mql: JSON.stringify(view.settings.rules.mql, null, 2), sql: JSON.stringify(view.settings.rules.sql, null, 2) });
    setRuleJsonError({ mql: false, sql: false });
    setPreview(null);
  };

  const reload = useCallback(async () => {
    setLoad({ phase: 'loading' });
    const r = await client.getSettings<PortalSettings>();
    if (r.ok) adopt(r.data);
    else setLoad({ phase: 'error', error: r.error });
  }, [client]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const messages = useMemo(() => (draft ? validationMessages(draft, i18n.locale) : {}), [draft, i18n.locale]);

  if (load.phase === 'loading') return <Loading i18n={i18n} />;
  if (load.phase === 'error') return <LoadError i18n={i18n} error={load.error} onRetry={() => void reload()} />;
  const view = load.view;
  const s = draft ?? view.settings;
  const readOnly = !view.canEdit;
  const draftKey = JSON.stringify(s);
  const valid = Object.keys(messages).length === 0 && !ruleJsonError.mql && !ruleJsonError.sql;
  const previewCurrent = preview !== null && preview.forDraft === draftKey;
  const edit = (path: string[], value: unknown) => setDraft(setIn(s, path, value));
  const msg = (path: string) => messageFor(messages, path);

  const runPreview = async () => {
    setBusy('preview');
    setActionError(null);
    const r = await client.previewSettings(s);
    setBusy(null);
    if (!r.ok) return setActionError(r.error);
    setPreview({ forDraft: draftKey, result: r.data });
  };

  const save = async () => {
    setBusy('save');
    setActionError(null);
    const r = await client.saveSettings<PortalSettings>(s, view.version);
    setBusy(null);
    if (!r.ok) return setActionError(r.error);
    adopt(r.data);
    actions.addAlert({ type: 'success', message: i18n.t('settings_saved') });
  };

  const editRule = (which: 'mql' | 'sql', text: string) => {
    setRuleText({ ...ruleText, [which]: text });
    try {
      const parsed = JSON.parse(text) as RuleExpr;
      setRuleJsonError({ ...ruleJsonError, [which]: false });
      setDraft(setIn(s, ['rules', which], parsed));
    } catch {
      setRuleJsonError({ ...ruleJsonError, [which]: true });
    }
  };

  const warnings: SettingsWarning[] = previewCurrent ? preview.result.warnings : view.warnings;
  const threshold = mqlScoreThreshold(s.rules.mql);

  return (
    <Flex direction="column" gap="md">
      <Heading>{i18n.t('settings_title')}</Heading>
      {readOnly ? (
        <Alert title={i18n.t('notAuthorisedTitle')} variant="info" testId="settings-read-only">
          {i18n.t('settings_read_only')}
        </Alert>
      ) : null}
      {!hasEscalationOwner(s) || warnings.some((w) => w.code === 'no_escalation_owner') ? (
        <Alert title={i18n.t('settings_no_escalation_title')} variant="warning" testId="no-escalation-owner">
          {i18n.t('settings_no_escalation_body')}
        </Alert>
      ) : null}
      {warnings
        .filter((w) => w.code !== 'no_escalation_owner')
        .map((w) => (
          <Alert key={w.code} title={pick(i18n.locale, w.message_ja, w.message_en)} variant="warning" testId={`warning-${w.code}`} />
        ))}
      {actionError ? <ActionError i18n={i18n} error={actionError} /> : null}
      {!valid ? (
        <Alert title={i18n.t('settings_invalid')} variant="danger" testId="settings-invalid">
          {messages[''] ?? ''}
        </Alert>
      ) : null}
      {view.updatedAt !== null ? <Text variant="microcopy">{formatDateTime(view.updatedAt, i18n.locale, i18n.timeZone)}</Text> : null}

      <Accordion title={i18n.t('settings_departments')} defaultOpen testId="section-departments">
        <Flex direction="column" gap="sm">
          <Text variant="microcopy">{i18n.t('settings_departments_help')}</Text>
          {view.teams.map((team) => (
            <Select
              key={team.id}
              name={`team-${team.id}`}
              label={team.name}
              readOnly={readOnly}
              value={s.departments.teamMap[team.id] ?? 'auto'}
              options={[
                { value: 'auto', label: i18n.t('set_dept_auto') },
                { value: 'inside_sales', label: i18n.t('dept_inside_sales') },
                { value: 'marketing', label: i18n.t('dept_marketing') },
                { value: 'sales', label: i18n.t('dept_sales') },
                { value: 'none', label: i18n.t('set_dept_none') },
              ]}
              testId={`team-${team.id}`}
              onChange={(value) => {
                const next = { ...s.departments.teamMap };
                if (value === 'auto') delete next[team.id];
                else next[team.id] = value as PortalSettings['departments']['teamMap'][string];
                edit(['departments', 'teamMap'], next);
              }}
            />
          ))}
        </Flex>
      </Accordion>

      <Accordion title={i18n.t('settings_scoring')} testId="section-scoring">
        <Flex direction="column" gap="sm">
          {BEHAVIOR_RULES.map((rule) => (
            <Flex key={rule} direction="row" gap="sm" align="end">
              <Toggle
                label={pick(i18n.locale, SCORING_RULE_LABELS[rule].ja, SCORING_RULE_LABELS[rule].en)}
                labelDisplay="top"
                checked={s.scoring.behavior[rule].enabled}
                readOnly={readOnly}
                onChange={(on: boolean) => edit(['scoring', 'behavior', rule, 'enabled'], on)}
              />
              <NumberInput
                name={`points-${rule}`}
                label={i18n.t('set_points', { rule: pick(i18n.locale, SCORING_RULE_LABELS[rule].ja, SCORING_RULE_LABELS[rule].en) })}
                value={s.scoring.behavior[rule].points}
                readOnly={readOnly}
                error={Boolean(msg(`scoring.behavior.${rule}.points`))}
                validationMessage={msg(`scoring.behavior.${rule}.points`)}
                testId={`points-${rule}`}
                onChange={(v: number) => edit(['scoring', 'behavior', rule, 'points'], v)}
              />
            </Flex>
          ))}
          <Toggle
            label={pick(i18n.locale, SCORING_RULE_LABELS.seniority.ja, SCORING_RULE_LABELS.seniority.en)}
            checked={s.scoring.attribute.seniority.enabled}
            readOnly={readOnly}
            onChange={(on: boolean) => edit(['scoring', 'attribute', 'seniority', 'enabled'], on)}
          />
          <NumberInput
            name="points-seniority"
            label={i18n.t('set_points', { rule: pick(i18n.locale, SCORING_RULE_LABELS.seniority.ja, SCORING_RULE_LABELS.seniority.en) })}
            value={s.scoring.attribute.seniority.points}
            readOnly={readOnly}
            error={Boolean(msg('scoring.attribute.seniority.points'))}
            validationMessage={msg('scoring.attribute.seniority.points')}
            onChange={(v: number) => edit(['scoring', 'attribute', 'seniority', 'points'], v)}
          />
          <TextArea
            name="seniority-words"
            label={i18n.t('set_words')}
            value={listToText(s.scoring.attribute.seniority.words)}
            readOnly={readOnly}
            error={Boolean(msg('scoring.attribute.seniority.words'))}
            validationMessage={msg('scoring.attribute.seniority.words')}
            testId="seniority-words"
            onChange={(v: string) => edit(['scoring', 'attribute', 'seniority', 'words'], textToList(v))}
          />
          <Toggle
            label={pick(i18n.locale, SCORING_RULE_LABELS.companySize.ja, SCORING_RULE_LABELS.companySize.en)}
            checked={s.scoring.attribute.companySize.enabled}
            readOnly={readOnly}
            onChange={(on: boolean) => edit(['scoring', 'attribute', 'companySize', 'enabled'], on)}
          />
          <Flex direction="row" gap="sm">
            <NumberInput
              name="points-company-size"
              label={i18n.t('set_points', { rule: pick(i18n.locale, SCORING_RULE_LABELS.companySize.ja, SCORING_RULE_LABELS.companySize.en) })}
              value={s.scoring.attribute.companySize.points}
              readOnly={readOnly}
              onChange={(v: number) => edit(['scoring', 'attribute', 'companySize', 'points'], v)}
            />
            <NumberInput
              name="min-employees"
              label={i18n.t('set_min_employees')}
              value={s.scoring.attribute.companySize.minEmployees}
              readOnly={readOnly}
              error={Boolean(msg('scoring.attribute.companySize.minEmployees'))}
              validationMessage={msg('scoring.attribute.companySize.minEmployees')}
              testId="min-employees"
              onChange={(v: number) => edit(['scoring', 'attribute', 'companySize', 'minEmployees'], v)}
            />
          </Flex>
          <Toggle
            label={pick(i18n.locale, SCORING_RULE_LABELS.targetIndustry.ja, SCORING_RULE_LABELS.targetIndustry.en)}
            checked={s.scoring.attribute.targetIndustry.enabled}
            readOnly={readOnly}
            onChange={(on: boolean) => edit(['scoring', 'attribute', 'targetIndustry', 'enabled'], on)}
          />
          <TextArea
            name="industries"
            label={i18n.t('set_industries')}
            value={listToText(s.scoring.attribute.targetIndustry.industries)}
            readOnly={readOnly}
            onChange={(v: string) => edit(['scoring', 'attribute', 'targetIndustry', 'industries'], textToList(v))}
          />
        </Flex>
      </Accordion>

      <Accordion title={i18n.t('settings_thresholds')} testId="section-thresholds">
        <Flex direction="column" gap="sm">
          {threshold !== null ? (
            <NumberInput
              name="mql-threshold"
              label={i18n.t('set_mql_threshold')}
              value={threshold}
              readOnly={readOnly}
              error={Boolean(msg('rules.mql'))}
              validationMessage={msg('rules.mql')}
              testId="mql-threshold"
              onChange={(v: number) => {
                const rule = withMqlScoreThreshold(s.rules.mql, v);
                setRuleText({ ...ruleText, mql: JSON.stringify(rule, null, 2) });
                edit(['rules', 'mql'], rule);
              }}
            />
          ) : null}
          <NumberInput
            name="min-bant"
            label={i18n.t('set_min_bant')}
            value={s.gate.minBantItems}
            min={0}
            max={4}
            readOnly={readOnly}
            error={Boolean(msg('gate.minBantItems'))}
            validationMessage={msg('gate.minBantItems')}
            testId="min-bant"
            onChange={(v: number) => edit(['gate', 'minBantItems'], v)}
          />
          <Toggle label={i18n.t('set_require_last_contacted')} checked={s.gate.requireLastContacted} readOnly={readOnly} onChange={(on: boolean) => edit(['gate', 'requireLastContacted'], on)} />
          <Toggle label={i18n.t('set_require_reason')} checked={s.gate.requireReason} readOnly={readOnly} onChange={(on: boolean) => edit(['gate', 'requireReason'], on)} />
          <Toggle label={i18n.t('set_auto_handoff')} checked={s.automaticHandoff} readOnly={readOnly} onChange={(on: boolean) => edit(['automaticHandoff'], on)} />
          {(['mql', 'sql'] as const).map((which) => (
            <TextArea
              key={which}
              name={`rule-${which}`}
              label={i18n.t(which === 'mql' ? 'set_mql_rule' : 'set_sql_rule')}
              value={ruleText[which]}
              rows={6}
              readOnly={readOnly}
              error={ruleJsonError[which] || Boolean(msg(`rules.${which}`))}
              validationMessage={ruleJsonError[which] ? i18n.t('set_json_invalid') : msg(`rules.${which}`)}
              testId={`rule-${which}`}
              onChange={(v: string) => editRule(which, v)}
            />
          ))}
        </Flex>
      </Accordion>

      <Accordion title={i18n.t('settings_sla')} testId="section-sla">
        <Flex direction="column" gap="sm">
          {(
            [
              ['firstTouchHours', 'set_first_touch_hours'],
              ['statusUpdateHours', 'set_status_update_hours'],
              ['mqlFollowUpHours', 'set_mql_followup_hours'],
            ] as const
          ).map(([field, label]) => (
            <NumberInput
              key={field}
              name={field}
              label={i18n.t(label)}
              value={s.sla[field]}
              readOnly={readOnly}
              error={Boolean(msg(`sla.${field}`))}
              validationMessage={msg(`sla.${field}`)}
              testId={`sla-${field}`}
              onChange={(v: number) => edit(['sla', field], v)}
            />
          ))}
          <Input
            name="reminders"
            label={i18n.t('set_reminders')}
            value={listToText(s.sla.remindersBeforeHours)}
            readOnly={readOnly}
            error={Boolean(msg('sla.remindersBeforeHours'))}
            validationMessage={msg('sla.remindersBeforeHours')}
            onChange={(v: string) => edit(['sla', 'remindersBeforeHours'], textToNumbers(v))}
          />
          <Select
            name="calendar-mode"
            label={i18n.t('set_calendar_mode')}
            value={s.sla.calendar.mode}
            readOnly={readOnly}
            options={[
              { value: 'wall_clock', label: i18n.t('set_wall_clock') },
              { value: 'business_hours', label: i18n.t('set_business_hours') },
            ]}
            testId="calendar-mode"
            onChange={(v) => edit(['sla', 'calendar', 'mode'], v === 'business_hours' ? 'business_hours' : 'wall_clock')}
          />
          {s.sla.calendar.mode === 'business_hours' ? <BusinessCalendar i18n={i18n} s={s} readOnly={readOnly} edit={edit} msg={msg} /> : null}
        </Flex>
      </Accordion>

      <Accordion title={i18n.t('settings_routing')} testId="section-routing">
        <Flex direction="column" gap="sm">
          <Toggle label={i18n.t('set_prefer_company_owner')} checked={s.routing.preferCompanyOwner} readOnly={readOnly} onChange={(on: boolean) => edit(['routing', 'preferCompanyOwner'], on)} />
          {view.teams.map((team) => (
            <Select
              key={team.id}
              name={`escalation-${team.id}`}
              label={i18n.t('set_escalation_owner', { team: team.name })}
              readOnly={readOnly}
              value={s.escalation.ownersByTeam[team.id] ?? ''}
              options={[{ value: '', label: i18n.t('set_escalation_unset') }, ...view.owners.map((o) => ({ value: o.ownerId, label: o.name }))]}
              testId={`escalation-${team.id}`}
              onChange={(value) => {
                const next = { ...s.escalation.ownersByTeam };
                if (value === '') delete next[team.id];
                else next[team.id] = String(value);
                edit(['escalation', 'ownersByTeam'], next);
              }}
            />
          ))}
          <NumberInput
            name="cool-off"
            label={i18n.t('set_cool_off')}
            value={s.recycle.coolOffDays}
            readOnly={readOnly}
            error={Boolean(msg('recycle.coolOffDays'))}
            validationMessage={msg('recycle.coolOffDays')}
            onChange={(v: number) => edit(['recycle', 'coolOffDays'], v)}
          />
          <Select
            name="recycle-destination"
            label={i18n.t('set_recycle_destination')}
            value={s.recycle.destination}
            readOnly={readOnly}
            options={[
              { value: 'inside_sales', label: i18n.t('reject_return_is') },
              { value: 'nurture', label: i18n.t('reject_return_nurture') },
            ]}
            onChange={(v) => edit(['recycle', 'destination'], v === 'nurture' ? 'nurture' : 'inside_sales')}
          />
        </Flex>
      </Accordion>

      {view.canEdit ? (
        <Flex direction="column" gap="sm">
          <PreviewResult i18n={i18n} preview={previewCurrent ? preview.result : null} />
          {!previewCurrent ? <Text variant="microcopy">{i18n.t('settings_preview_needed')}</Text> : null}
          <Flex direction="row" gap="sm">
            <LoadingButton variant="secondary" loading={busy === 'preview'} disabled={!valid || busy !== null} onClick={() => void runPreview()} testId="preview">
              {i18n.t('settings_preview')}
            </LoadingButton>
            <LoadingButton variant="primary" loading={busy === 'save'} disabled={!valid || !previewCurrent || busy !== null} onClick={() => void save()} testId="save-settings">
              {i18n.t('save')}
            </LoadingButton>
            <Button variant="transparent" disabled={busy !== null} onClick={() => adopt(view)}>
              {i18n.t('cancel')}
            </Button>
          </Flex>
        </Flex>
      ) : null}
    </Flex>
  );
}

function BusinessCalendar({
  i18n,
  s,
  readOnly,
  edit,
  msg,
}: {
  i18n: I18n;
  s: PortalSettings;
  readOnly: boolean;
  edit: (path: string[], value: unknown) => void;
  msg: (path: string) => string | undefined;
}) {
  const b = s.sla.calendar.business;
  const base = ['sla', 'calendar', 'business'];
  return (
    <Flex direction="column" gap="sm" testId="business-calendar">
      <Input
        name="timezone"
        label={i18n.t('set_timezone')}
        value={b.timeZone}
        readOnly={readOnly}
        error={Boolean(msg('sla.calendar.business.timeZone'))}
        validationMessage={msg('sla.calendar.business.timeZone')}
        onChange={(v: string) => edit([...base, 'timeZone'], v)}
      />
      <Flex direction="row" gap="sm">
        <Input
          name="work-start"
          label={i18n.t('set_work_start')}
          value={b.workStart}
          readOnly={readOnly}
          error={Boolean(msg('sla.calendar.business.workStart'))}
          validationMessage={msg('sla.calendar.business.workStart')}
          onChange={(v: string) => edit([...base, 'workStart'], v)}
        />
        <Input
          name="work-end"
          label={i18n.t('set_work_end')}
          value={b.workEnd}
          readOnly={readOnly}
          error={Boolean(msg('sla.calendar.business.workEnd'))}
          validationMessage={msg('sla.calendar.business.workEnd')}
          testId="work-end"
          onChange={(v: string) => edit([...base, 'workEnd'], v)}
        />
      </Flex>
      <ToggleGroup
        toggleType="checkboxList"
        name="work-days"
        label={i18n.t('set_work_days')}
        inline
        value={b.workDays.map(String)}
        options={WEEKDAYS.map((d) => ({ value: String(d), label: i18n.t(`wd_${d}` as MessageKey), readOnly }))}
        error={Boolean(msg('sla.calendar.business.workDays'))}
        validationMessage={msg('sla.calendar.business.workDays')}
        onChange={(values: string[]) => edit([...base, 'workDays'], values.map(Number).sort((x, y) => x - y))}
      />
      <Toggle label={i18n.t('set_holidays')} checked={b.japaneseHolidays} readOnly={readOnly} onChange={(on: boolean) => edit([...base, 'japaneseHolidays'], on)} />
      <TextArea
        name="closed-dates"
        label={i18n.t('set_closed_dates')}
        value={listToText(b.closedDates)}
        readOnly={readOnly}
        error={Boolean(msg('sla.calendar.business.closedDates'))}
        validationMessage={msg('sla.calendar.business.closedDates')}
        onChange={(v: string) => edit([...base, 'closedDates'], textToList(v))}
      />
    </Flex>
  );
}

function PreviewResult({ i18n, preview }: { i18n: I18n; preview: SettingsPreviewView | null }) {
  if (!preview) return null;
  return (
    <Alert title={i18n.t('settings_preview_result', { changed: preview.changed, evaluated: preview.evaluated })} variant={preview.changed > 0 ? 'warning' : 'info'} testId="preview-result">
      <Flex direction="column" gap="xs">
        {preview.truncated ? <Text>{i18n.t('settings_preview_truncated', { evaluated: preview.evaluated })}</Text> : null}
        <List variant="unordered-styled">
          {preview.transitions.map((t) => (
            <Text key={`${t.from}-${t.to}`}>
              {i18n.t('settings_transition', { from: i18n.t(`stage_${t.from}` as const), to: i18n.t(`stage_${t.to}` as const), n: t.count })}
            </Text>
          ))}
        </List>
      </Flex>
    </Alert>
  );
}
