/**
 * The assigned Sales rep's view: after a breach, by how much and to whom it was
 * escalated; the hand-off at a glance; the SLA countdown; accept / reject with a
 * reason from the admin's list. Short on purpose: it fits HubSpot's 320-px sidebar
 * without scrolling past the first screen (README "Cards" states the measured height).
 */
import { useState } from 'react';
import { Divider, Flex, Heading, Text } from '@hubspot/ui-extensions';
import type { ApiError, HandoffView } from '@tossup/shared/card-dto';
import type { CardApiClient } from '../../client/card-api-client';
import type { ActionsLike, I18n } from '../card-context';
import { SlaBreachedAlert, SlaPanel } from '../CardStates';
import { RespondForm } from '../RespondForm';
import { HandoffDigest } from './HandoffDigest';

export interface RepSidebarProps {
  i18n: I18n;
  view: HandoffView;
  client: CardApiClient;
  actions: ActionsLike;
  onView: (view: HandoffView) => void;
  onError: (error: ApiError | null) => void;
}

export function RepSidebar({ i18n, view, client, actions, onView, onError }: RepSidebarProps) {
  const [busy, setBusy] = useState<'accept' | 'reject' | null>(null);
  const contactId = view.contact.id;

  const respond = async (kind: 'accept' | 'reject', input?: { reasonCode: string; reason: string }) => {
    setBusy(kind);
    onError(null);
    const r = kind === 'accept' || !input ? await client.accept(contactId) : await client.reject(contactId, input);
    setBusy(null);
    if (!r.ok) return onError(r.error);
    onView(r.data.handoff);
    actions.refreshObjectProperties?.();
    actions.addAlert({ type: 'success', message: i18n.t(kind === 'accept' ? 'accepted_title' : 'rejected_title') });
  };

  return (
    <Flex direction="column" gap="sm" testId="rep-view">
      <SlaBreachedAlert i18n={i18n} sla={view.sla} escalation={view.escalation} />
      <Heading>{i18n.t('summary_title')}</Heading>
      {view.summary ? <HandoffDigest i18n={i18n} summary={view.summary} /> : <Text variant="microcopy">{i18n.t('summary_none')}</Text>}
      <Divider />
      <SlaPanel i18n={i18n} sla={view.sla} />
      {view.contact.stage === 'sql' && view.permissions.canRespond ? (
        <RespondForm
          i18n={i18n}
          rejectReasons={view.rejectReasons}
          busy={busy}
          onAccept={() => void respond('accept')}
          onReject={(input) => void respond('reject', input)}
        />
      ) : null}
    </Flex>
  );
}
