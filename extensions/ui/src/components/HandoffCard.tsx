/**
 * Sidebar card on contacts (crm.record.sidebar): one view per role, chosen by the
 * backend from the viewer's owner record and team → department (card-dto.ts CardRole):
 * - Inside Sales before the hand-off: score, BANT, gate, toss-up (handoff/IsSidebar);
 * - the assigned Sales rep: the hand-off at a glance, SLA, accept / reject (handoff/RepSidebar);
 * - anyone else: a read-only summary (handoff/ViewerSidebar).
 * Every judgement (score, gate, SLA, role) comes from the backend; the card only
 * displays it and sends what the person typed.
 *
 * Sidebar cards cannot use the CRM data components (docs/hubspot-platform.md §1.5), so
 * everything is built from the base components.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Flex, Text } from '@hubspot/ui-extensions';
import { createCardApiClient, type CardApiClient } from '../client/card-api-client';
import type { ApiError, HandoffView } from '@tossup/shared/card-dto';
import { formatDateTime } from '@tossup/shared/i18n';
import { ActionError, LoadError, Loading } from './CardStates';
import { i18nOf, type ActionsLike, type CardContextLike, type I18n } from './card-context';
import { IsSidebar } from './handoff/IsSidebar';
import { RepSidebar } from './handoff/RepSidebar';
import { ViewerSidebar } from './handoff/ViewerSidebar';

export interface HandoffCardProps {
  context: CardContextLike;
  actions: ActionsLike;
  /** Injected by tests and the preview; HubSpot uses hubspot.fetch. */
  api?: CardApiClient;
}

type Load = { phase: 'loading' } | { phase: 'error'; error: ApiError } | { phase: 'ready'; view: HandoffView };

export function HandoffCard({ context, actions, api }: HandoffCardProps) {
  const i18n = i18nOf(context);
  const [client] = useState<CardApiClient>(() => api ?? createCardApiClient());
  const contactId = String(context.crm.objectId);
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [justHandedOff, setJustHandedOff] = useState(false);
  // Remounts the role view after a reload so its drafts start from the saved state.
  const [generation, setGeneration] = useState(0);

  const reload = useCallback(async () => {
    setLoad({ phase: 'loading' });
    const r = await client.getHandoff(contactId);
    setLoad(r.ok ? { phase: 'ready', view: r.data } : { phase: 'error', error: r.error });
    setGeneration((g) => g + 1);
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
  const show = (next: HandoffView, handedOff = false) => {
    setLoad({ phase: 'ready', view: next });
    if (handedOff) setJustHandedOff(true);
  };

  return (
    <Flex direction="column" gap="sm">
      {justHandedOff && view.summary ? <HandedOffAlert i18n={i18n} view={view} /> : null}
      {actionError ? <ActionError i18n={i18n} error={actionError} /> : null}
      {view.role === 'inside_sales' ? (
        <IsSidebar key={generation} i18n={i18n} view={view} client={client} actions={actions} onView={show} onError={setActionError} />
      ) : view.role === 'rep' ? (
        <RepSidebar i18n={i18n} view={view} client={client} actions={actions} onView={show} onError={setActionError} />
      ) : (
        <ViewerSidebar i18n={i18n} view={view} />
      )}
    </Flex>
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
