/**
 * Sidebar card on contacts (crm.record.sidebar): what Inside Sales needs to hand a
 * lead to Sales — the score and why, the gap to MQL, the BANT checklist with a note
 * per item, the hand-off reason, what still blocks the hand-off, the toss-up
 * button and the SLA. Every judgement (score, gate, SLA) comes from the backend,
 * which asks the engine; the card only displays it and sends what IS typed.
 *
 * Sidebar cards cannot use the CRM data components (docs/hubspot-platform.md §1.5), so
 * everything is built from the base components.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Divider,
  Flex,
  Heading,
  List,
  LoadingButton,
  ProgressBar,
  StatusTag,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { createCardApiClient, type BantInput, type CardApiClient } from '../client/card-api-client';
import { BANT_ITEMS, type ApiError, type BantItem, type HandoffView } from '@tossup/shared/card-dto';
import { formatDateTime, pick } from '@tossup/shared/i18n';
import { ActionError, LoadError, Loading, SlaBreachedAlert, SlaPanel } from './CardStates';
import { i18nOf, type ActionsLike, type CardContextLike, type I18n } from './card-context';

export interface HandoffCardProps {
  context: CardContextLike;
  actions: ActionsLike;
  /** Injected by tests and the preview; HubSpot uses hubspot.fetch. */
  api?: CardApiClient;
}

type Load = { phase: 'loading' } | { phase: 'error'; error: ApiError } | { phase: 'ready'; view: HandoffView };

function draftOf(view: HandoffView): BantInput {
  const bant = {} as Record<BantItem, boolean>;
  const notes = {} as Record<BantItem, string>;
  for (const b of view.bant) {
    bant[b.item] = b.checked;
    notes[b.item] = b.note;
  }
  return { bant, notes, reason: view.reason };
}

function sameDraft(a: BantInput, b: BantInput): boolean {
  return a.reason.trim() === b.reason.trim() && BANT_ITEMS.every((i) => a.bant[i] === b.bant[i] && a.notes[i].trim() === b.notes[i].trim());
}

export function HandoffCard({ context, actions, api }: HandoffCardProps) {
  const i18n = i18nOf(context);
  const [client] = useState<CardApiClient>(() => api ?? createCardApiClient());
  const contactId = String(context.crm.objectId);
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [draft, setDraft] = useState<BantInput | null>(null);
  const [busy, setBusy] = useState<'save' | 'tossup' | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [justHandedOff, setJustHandedOff] = useState(false);

  const reload = useCallback(async () => {
    setLoad({ phase: 'loading' });
    const r = await client.getHandoff(contactId);
    if (r.ok) {
      setLoad({ phase: 'ready', view: r.data });
      setDraft(draftOf(r.data));
    } else {
      setLoad({ phase: 'error', error: r.error });
    }
  }, [client, contactId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  if (load.phase === 'loading') return <Loading i18n={i18n} />;
  if (load.phase === 'error') {
    if (load.error.code === 'not_found') return <NoContact i18n={i18n} onRetry={() => void reload()} />;
    return <LoadError i18n={i18n} error={load.error} onRetry={() => void reload()} />;
  }
  const view = load.view;
  const current = draft ?? draftOf(view);
  const dirty = !sameDraft(current, draftOf(view));
  const canEdit = view.permissions.canEditBant && !view.handedOff;

  const save = async () => {
    setBusy('save');
    setActionError(null);
    const r = await client.saveBant(contactId, current);
    setBusy(null);
    if (!r.ok) return setActionError(r.error);
    setLoad({ phase: 'ready', view: r.data.handoff });
    setDraft(draftOf(r.data.handoff));
    actions.refreshObjectProperties?.();
    actions.addAlert({ type: 'success', message: i18n.t('saved') });
  };

  const tossUp = async () => {
    setBusy('tossup');
    setActionError(null);
    const r = await client.tossUp(contactId);
    setBusy(null);
    if (!r.ok) return setActionError(r.error);
    setLoad({ phase: 'ready', view: r.data.handoff });
    setDraft(draftOf(r.data.handoff));
    setJustHandedOff(true);
    actions.refreshObjectProperties?.();
  };

  const tossUpEnabled = view.permissions.canTossUp && view.gate.passed && !view.handedOff && !dirty && busy === null;

  return (
    <Flex direction="column" gap="sm">
      {justHandedOff && view.summary ? <HandedOffAlert i18n={i18n} view={view} /> : null}
      <SlaBreachedAlert i18n={i18n} sla={view.sla} />
      {actionError ? <ActionError i18n={i18n} error={actionError} /> : null}
      {!view.permissions.canEditBant ? (
        <Alert title={i18n.t('notAuthorisedTitle')} variant="info" testId="not-authorised">
          {i18n.t('not_is_viewer')}
        </Alert>
      ) : null}
      {view.handedOff && !justHandedOff ? (
        <Alert title={i18n.t('already_handed_off', { stage: i18n.t(`stage_${view.contact.stage}` as const) })} variant="info" testId="already-handed-off">
          {view.summary?.to ? `${i18n.t('summary_to')}: ${view.summary.to.name}` : ''}
        </Alert>
      ) : null}

      <ScoreSection i18n={i18n} view={view} />
      <Divider />

      <Heading>{i18n.t('bant_title')}</Heading>
      <Text variant="microcopy" testId="bant-count">
        {i18n.t('bant_count', { n: BANT_ITEMS.filter((b) => current.bant[b]).length })}
      </Text>
      {BANT_ITEMS.map((item) => (
        <Flex direction="column" gap="xs" key={item}>
          <Checkbox
            name={`bant-${item}`}
            value={item}
            checked={current.bant[item]}
            readOnly={!canEdit}
            description={i18n.t(`bant_${item}_hint` as const)}
            testId={`bant-${item}`}
            onChange={(checked: boolean) => setDraft({ ...current, bant: { ...current.bant, [item]: checked } })}
          >
            {i18n.t(`bant_${item}` as const)}
          </Checkbox>
          <TextArea
            name={`bant-note-${item}`}
            label={i18n.t('bant_note_label', { item: i18n.t(`bant_${item}` as const) })}
            value={current.notes[item]}
            readOnly={!canEdit}
            rows={2}
            maxLength={500}
            testId={`bant-note-${item}`}
            onChange={(value: string) => setDraft({ ...current, notes: { ...current.notes, [item]: value } })}
          />
        </Flex>
      ))}
      <TextArea
        name="handoff-reason"
        label={i18n.t('reason_label')}
        placeholder={i18n.t('reason_placeholder')}
        value={current.reason}
        readOnly={!canEdit}
        rows={3}
        maxLength={2000}
        testId="reason"
        onChange={(value: string) => setDraft({ ...current, reason: value })}
      />
      {canEdit ? (
        <LoadingButton loading={busy === 'save'} disabled={!dirty || busy !== null} variant="secondary" onClick={() => void save()} testId="save-bant">
          {i18n.t('save_bant')}
        </LoadingButton>
      ) : null}
      <Divider />

      <GateSection i18n={i18n} view={view} />
      {view.permissions.canTossUp && !view.handedOff ? (
        <Flex direction="column" gap="xs">
          {dirty ? (
            <Text variant="microcopy" testId="save-first">
              {i18n.t('save_before_tossup')}
            </Text>
          ) : null}
          <LoadingButton loading={busy === 'tossup'} disabled={!tossUpEnabled} variant="primary" onClick={() => void tossUp()} testId="toss-up">
            {i18n.t('tossup_button')}
          </LoadingButton>
        </Flex>
      ) : null}
      <Divider />

      <Heading>{i18n.t('sla_title')}</Heading>
      <SlaPanel i18n={i18n} sla={view.sla} />
    </Flex>
  );
}

function ScoreSection({ i18n, view }: { i18n: I18n; view: HandoffView }) {
  const { score, mql } = view;
  return (
    <Flex direction="column" gap="xs" testId="score">
      <Flex direction="row" gap="sm" align="center">
        <Heading>
          {i18n.t('score_total')} {score.total}
        </Heading>
        <StatusTag variant={mql.isMql ? 'success' : 'default'}>{i18n.t(`stage_${view.contact.stage}` as const)}</StatusTag>
      </Flex>
      {/* The gap to MQL matters only before MQL: on an MQL or handed-off lead it would mislead (「MQLまであと15点」 on an SQL). */}
      {!mql.isMql && !view.handedOff ? (
        <ProgressBar
          value={Math.min(score.total, mql.threshold)}
          maxValue={Math.max(mql.threshold, 1)}
          variant={mql.gap === 0 ? 'success' : 'warning'}
          title={mql.gap > 0 ? i18n.t('mql_gap', { n: mql.gap, threshold: mql.threshold }) : i18n.t('mql_reached', { threshold: mql.threshold })}
          testId="mql-progress"
        />
      ) : null}
      <Text variant="microcopy">
        {i18n.t('score_behavior')} {score.behavior} · {i18n.t('score_attribute')} {score.attribute}
      </Text>
      {score.lines.length === 0 ? (
        <Text variant="microcopy">{i18n.t('score_no_points')}</Text>
      ) : (
        <List variant="unordered-styled" testId="score-breakdown">
          {score.lines.map((line) => (
            <Text key={line.rule}>
              {pick(i18n.locale, line.label_ja, line.label_en)} ×{line.count} {line.points >= 0 ? `+${line.points}` : line.points}
            </Text>
          ))}
        </List>
      )}
    </Flex>
  );
}

function GateSection({ i18n, view }: { i18n: I18n; view: HandoffView }) {
  if (view.handedOff) return null;
  if (view.gate.passed) {
    return (
      <Alert title={i18n.t('gate_passed')} variant="success" testId="gate-passed">
        {i18n.t('gate_title')}
      </Alert>
    );
  }
  return (
    <Alert title={i18n.t('gate_blocked')} variant="warning" testId="gate-blocked">
      <List variant="unordered-styled">
        {view.gate.missing.map((m) => (
          <Text key={m.code} testId={`missing-${m.code}`}>
            {pick(i18n.locale, m.label_ja, m.label_en)}
          </Text>
        ))}
      </List>
    </Alert>
  );
}

function HandedOffAlert({ i18n, view }: { i18n: I18n; view: HandoffView }) {
  const due = view.sla?.firstTouch.dueAt;
  return (
    <Alert title={i18n.t('tossup_done_title')} variant="success" testId="handed-off">
      {i18n.t('tossup_done_body', {
        to: view.summary?.to?.name ?? i18n.t('unknownPerson'),
        due: due ? formatDateTime(due, i18n.locale, i18n.timeZone) : '—',
      })}
    </Alert>
  );
}

function NoContact({ i18n, onRetry }: { i18n: I18n; onRetry: () => void }) {
  return (
    <Flex direction="column" gap="sm" testId="empty">
      <Text format={{ fontWeight: 'bold' }} testId="empty-title">
        {i18n.t('no_contact_title')}
      </Text>
      <Text variant="microcopy">{i18n.t('no_contact_body')}</Text>
      <Button size="sm" onClick={onRetry}>
        {i18n.t('retry')}
      </Button>
    </Flex>
  );
}
