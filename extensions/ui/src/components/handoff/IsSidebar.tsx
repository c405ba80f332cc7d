/**
 * Inside Sales' view, before the hand-off: score and why, the gap to MQL, which MQL
 * rule fired, the reactions, the follow-up deadline set at MQL, the BANT editor, the
 * gate with what is missing, and the toss-up button.
 */
import { useState } from 'react';
import { Divider, Flex, LoadingButton, Text } from '@hubspot/ui-extensions';
import { BANT_ITEMS, type ApiError, type BantItem, type HandoffView } from '@tossup/shared/card-dto';
import { formatDateTime, formatDuration } from '@tossup/shared/i18n';
import type { BantInput, CardApiClient } from '../../client/card-api-client';
import type { ActionsLike, I18n } from '../card-context';
import { BantEditor } from './BantEditor';
import { GateSection } from './GateSection';
import { ScoreSection } from './ScoreSection';

export function draftOf(view: HandoffView): BantInput {
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

export interface IsSidebarProps {
  i18n: I18n;
  view: HandoffView;
  client: CardApiClient;
  actions: ActionsLike;
  /** The state after a write; `handedOff` when it was the toss-up. */
  onView: (view: HandoffView, handedOff: boolean) => void;
  onError: (error: ApiError | null) => void;
}

export function IsSidebar({ i18n, view, client, actions, onView, onError }: IsSidebarProps) {
  const [draft, setDraft] = useState<BantInput>(() => draftOf(view));
  const [busy, setBusy] = useState<'save' | 'tossup' | null>(null);
  const dirty = !sameDraft(draft, draftOf(view));
  const contactId = view.contact.id;

  const save = async () => {
    setBusy('save');
    onError(null);
    const r = await client.saveBant(contactId, draft);
    setBusy(null);
    if (!r.ok) return onError(r.error);
    setDraft(draftOf(r.data.handoff));
    onView(r.data.handoff, false);
    actions.refreshObjectProperties?.();
    actions.addAlert({ type: 'success', message: i18n.t('saved') });
  };

  const tossUp = async () => {
    setBusy('tossup');
    onError(null);
    const r = await client.tossUp(contactId);
    setBusy(null);
    if (!r.ok) return onError(r.error);
    onView(r.data.handoff, true);
    actions.refreshObjectProperties?.();
  };

  const canTossUp = view.permissions.canTossUp && view.gate.passed && !dirty && busy === null;

  return (
    <Flex direction="column" gap="sm" testId="is-view">
      <ScoreSection i18n={i18n} view={view} />
      {view.followUpDueAt !== null ? (
        <Text variant="microcopy" testId="followup-due">
          {i18n.t('followup_due', {
            due: formatDateTime(view.followUpDueAt, i18n.locale, i18n.timeZone),
            left:
              view.followUpDueAt >= view.now
                ? i18n.t('sla_remaining', { left: formatDuration(view.followUpDueAt - view.now, i18n.locale) })
                : i18n.t('sla_overdue', { left: formatDuration(view.followUpDueAt - view.now, i18n.locale) }),
          })}
        </Text>
      ) : null}
      <Divider />
      <BantEditor i18n={i18n} draft={draft} dirty={dirty} saving={busy === 'save'} disabled={busy !== null} onChange={setDraft} onSave={() => void save()} />
      <Divider />
      <GateSection i18n={i18n} gate={view.gate} />
      {dirty ? (
        <Text variant="microcopy" testId="save-first">
          {i18n.t('save_before_tossup')}
        </Text>
      ) : null}
      <LoadingButton loading={busy === 'tossup'} disabled={!canTossUp} variant="primary" onClick={() => void tossUp()} testId="toss-up">
        {i18n.t('tossup_button')}
      </LoadingButton>
      <Text variant="microcopy">{i18n.t('tossup_starts_sla')}</Text>
    </Flex>
  );
}
