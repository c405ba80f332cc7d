/**
 * Tab card on contacts and deals (crm.record.tab): one timeline across Marketing,
 * Inside Sales and Sales (the article's "誰が・いつ・どのような対応をしたのか"),
 * a warning when two departments reached the lead within a short window, the
 * hand-off summary, the SLA countdown, and accept / reject for the assigned rep.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  DescriptionList,
  DescriptionListItem,
  Divider,
  EmptyState,
  Flex,
  Heading,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import { createCardApiClient, type CardApiClient } from '../client/card-api-client';
import type { ApiError, HandoffSummaryView, OverlapWarning, TimelineDepartment, TimelineItemView, TimelineView } from '@tossup/shared/card-dto';
import { formatDateTime, formatShortDate } from '@tossup/shared/i18n';
import { ActionError, LoadError, Loading, SlaBreachedAlert, SlaPanel } from './CardStates';
import { RoutingPanel } from './RoutingPanel';
import type { RoutingApiClient } from '../client/routing-api-client';
import { i18nOf, objectTypeOf, type ActionsLike, type CardContextLike, type I18n } from './card-context';
import { RespondForm } from './RespondForm';

export interface TimelineCardProps {
  context: CardContextLike;
  actions: ActionsLike;
  api?: CardApiClient;
  /** The routing panel's client (issue 17); tests pass a fake. */
  routingApi?: RoutingApiClient;
}

type Load = { phase: 'loading' } | { phase: 'error'; error: ApiError } | { phase: 'ready'; view: TimelineView };
type Filter = TimelineDepartment | 'all';

const DEPT_VARIANT = { marketing: 'info', inside_sales: 'warning', sales: 'success', system: 'default', unknown: 'default' } as const;
const FILTERS: Filter[] = ['all', 'marketing', 'inside_sales', 'sales', 'system'];

export function TimelineCard({ context, actions, api, routingApi }: TimelineCardProps) {
  const i18n = i18nOf(context);
  const [client] = useState<CardApiClient>(() => api ?? createCardApiClient());
  const objectType = objectTypeOf(context.crm.objectTypeId) ?? 'contacts';
  const objectId = String(context.crm.objectId);
  const [query, setQuery] = useState<{ department: Filter; page: number }>({ department: 'all', page: 1 });
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [busy, setBusy] = useState<'accept' | 'reject' | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<'accepted' | 'rejected' | null>(null);

  const reload = useCallback(async () => {
    setLoad({ phase: 'loading' });
    const r = await client.getTimeline(objectType, objectId, query);
    setLoad(r.ok ? { phase: 'ready', view: r.data } : { phase: 'error', error: r.error });
  }, [client, objectType, objectId, query]);

  useEffect(() => {
    void reload();
  }, [reload]);

  if (load.phase === 'loading') return <Loading i18n={i18n} />;
  if (load.phase === 'error') return <LoadError i18n={i18n} error={load.error} onRetry={() => void reload()} />;
  const view = load.view;
  const contactId = view.contactId;

  const respond = async (kind: 'accept' | 'reject', input?: { reasonCode: string; reason: string }) => {
    if (!contactId) return;
    setBusy(kind);
    setActionError(null);
    const r = kind === 'accept' || !input ? await client.accept(contactId) : await client.reject(contactId, input);
    setBusy(null);
    if (!r.ok) return setActionError(r.error);
    setDone(kind === 'accept' ? 'accepted' : 'rejected');
    actions.refreshObjectProperties?.();
    actions.addAlert({ type: 'success', message: i18n.t(kind === 'accept' ? 'accepted_title' : 'rejected_title') });
    await reload();
  };

  const awaitingResponse = view.summary?.stage === 'sql';

  return (
    <Flex direction="column" gap="md">
      {done ? <RespondedAlert i18n={i18n} done={done} view={view} /> : null}
      <SlaBreachedAlert i18n={i18n} sla={view.sla} escalation={view.escalation} />
      {actionError ? <ActionError i18n={i18n} error={actionError} /> : null}
      {view.overlaps.map((o) => (
        <Alert key={o.departments.join('|')} title={i18n.t('overlap_title')} variant="warning" testId={`overlap-${o.departments.join('-')}`}>
          {overlapText(i18n, o)}
        </Alert>
      ))}

      <Flex direction="row" gap="md" wrap>
        <Tile compact>
          <Heading>{i18n.t('summary_title')}</Heading>
          <Summary i18n={i18n} summary={view.summary} />
        </Tile>
        <Tile compact>
          <Heading>{i18n.t('sla_title')}</Heading>
          <SlaPanel i18n={i18n} sla={view.sla} />
        </Tile>
      </Flex>
      {view.contactId ? <RoutingPanel i18n={i18n} contactId={view.contactId} {...(routingApi ? { client: routingApi } : {})} /> : null}

      {awaitingResponse && !view.permissions.canRespond ? (
        <Text variant="microcopy" testId="respond-not-allowed">
          {i18n.t('respond_only_rep', { to: view.summary?.to?.name ?? i18n.t('unknownPerson') })}
        </Text>
      ) : null}
      {awaitingResponse && view.permissions.canRespond ? (
        <RespondForm i18n={i18n} rejectReasons={view.rejectReasons} busy={busy} onAccept={() => void respond('accept')} onReject={(input) => void respond('reject', input)} />
      ) : null}
      <Divider />

      <Heading>{i18n.t('timeline_title')}</Heading>
      <Select
        name="department"
        label={i18n.t('timeline_filter')}
        value={query.department}
        options={FILTERS.map((f) => ({ value: f, label: i18n.t(f === 'all' ? 'dept_all' : (`dept_${f}` as const)) }))}
        testId="department-filter"
        onChange={(value) => setQuery({ department: FILTERS.includes(value as Filter) ? (value as Filter) : 'all', page: 1 })}
      />
      {view.unavailable?.length ? (
        <Text variant="microcopy" testId="timeline-unavailable">
          {view.unavailable.map((u) => (i18n.locale === 'en' ? u.label_en : u.label_ja)).join(i18n.locale === 'en' ? '; ' : '、')}
        </Text>
      ) : null}
      {view.items.length === 0 ? (
        <EmptyState title={i18n.t('timeline_empty_title')} layout="vertical" imageName="meetings" testId="timeline-empty">
          <Text>{i18n.t('timeline_empty_body')}</Text>
        </EmptyState>
      ) : (
        <Table
          bordered
          paginated
          page={view.page}
          pageCount={view.pageCount}
          onPageChange={(page: number) => setQuery({ ...query, page })}
          testId="timeline"
        >
          <TableHead>
            <TableRow>
              <TableHeader>{i18n.t('col_when')}</TableHeader>
              <TableHeader>{i18n.t('col_department')}</TableHeader>
              <TableHeader>{i18n.t('col_person')}</TableHeader>
              <TableHeader>{i18n.t('col_activity')}</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {view.items.map((item) => (
              <TimelineRow key={item.id} i18n={i18n} item={item} />
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}

/** Flow order (Marketing → IS → Sales): the department that reached the lead last in an against-the-flow pair is the earlier one. */
const FLOW_RANK = { marketing: 0, inside_sales: 1, sales: 2 } as const;

/** The warning names the rule that fired (domain/duplicate-outreach.ts), not just "overlap". */
export function overlapText(i18n: I18n, o: OverlapWarning): string {
  const [a, b] = o.departments;
  const when = `${formatDateTime(o.firstAt, i18n.locale, i18n.timeZone)} → ${formatDateTime(o.secondAt, i18n.locale, i18n.timeZone)}`;
  const dept = (d: keyof typeof FLOW_RANK) => i18n.t(`dept_${d}` as const);
  switch (o.rule) {
    case 'against_flow': {
      const [late, early] = FLOW_RANK[a] < FLOW_RANK[b] ? [a, b] : [b, a];
      return i18n.t('overlap_against_flow', { late: dept(late), early: dept(early), hours: o.windowHours, when });
    }
    case 'after_handoff':
      return i18n.t('overlap_after_handoff', { late: dept(a === 'sales' ? b : a), hours: o.windowHours, when });
    case 'other_rep':
      return i18n.t('overlap_other_rep', { hours: o.windowHours, when });
    case 'same_department':
      return i18n.t('overlap_same_department', { late: dept(a), hours: o.windowHours, when });
  }
}

/** What was done, in one cell: the kind, a grouped count, which SLA, the task's due date, and on a deal the contact. */
function activityOf(i18n: I18n, item: TimelineItemView): { head: string; detail: string[] } {
  let head = i18n.t(`kind_${item.kind}` as const);
  if (item.sla) head = i18n.t('with_detail', { a: head, b: i18n.t(item.sla === 'first_touch' ? 'sla_first_touch' : 'sla_status_update') });
  if (item.count !== undefined && item.count > 1) head = `${head} ${i18n.t('email_open_group', { n: item.count, last: formatShortDate(item.at, i18n.locale, i18n.timeZone) })}`;
  const detail: string[] = [];
  if (item.title) detail.push(item.title);
  if (item.dueAt) detail.push(i18n.t('task_due', { due: formatDateTime(item.dueAt, i18n.locale, i18n.timeZone) }));
  if (item.contact) detail.push(i18n.t('row_contact', { name: item.contact.name }));
  return { head, detail };
}

function TimelineRow({ i18n, item }: { i18n: I18n; item: TimelineItemView }) {
  const { head, detail } = activityOf(i18n, item);
  return (
    <TableRow testId={`item-${item.id}`}>
      <TableCell>{formatDateTime(item.at, i18n.locale, i18n.timeZone)}</TableCell>
      <TableCell>
        <Tag variant={DEPT_VARIANT[item.department]}>{i18n.t(`dept_${item.department}` as const)}</Tag>
      </TableCell>
      <TableCell>{item.actor?.name ?? (item.department === 'marketing' ? '—' : i18n.t('automatic'))}</TableCell>
      <TableCell>
        <Flex direction="column" gap="flush">
          <Text format={{ fontWeight: 'demibold' }} testId={`activity-${item.id}`}>
            {head}
          </Text>
          {detail.map((d, i) => (
            <Text key={i} variant={i === 0 ? 'bodytext' : 'microcopy'}>
              {d}
            </Text>
          ))}
        </Flex>
      </TableCell>
    </TableRow>
  );
}

/** After accept or reject: the title says what happened, the body what comes next (never the title again). */
function RespondedAlert({ i18n, done, view }: { i18n: I18n; done: 'accepted' | 'rejected'; view: TimelineView }) {
  const due = view.sla?.statusUpdate.dueAt ?? null;
  const body =
    done === 'accepted'
      ? due !== null
        ? i18n.t('responded_next', { due: formatDateTime(due, i18n.locale, i18n.timeZone) })
        : ''
      : (view.summary?.rejectReason ?? '');
  return (
    <Alert title={i18n.t(done === 'accepted' ? 'accepted_title' : 'rejected_title')} variant="success" testId="responded">
      {body}
    </Alert>
  );
}

function Summary({ i18n, summary }: { i18n: I18n; summary: HandoffSummaryView | null }) {
  if (!summary) return <Text variant="microcopy">{i18n.t('summary_none')}</Text>;
  const checked = summary.bant.filter((b) => b.checked);
  return (
    <DescriptionList direction="column" testId="summary">
      <DescriptionListItem label={i18n.t('summary_stage')}>
        <Text>{i18n.t(`stage_${summary.stage}` as const)}</Text>
      </DescriptionListItem>
      <DescriptionListItem label={i18n.t('summary_by')}>
        <Text>{summary.by?.name ?? i18n.t('automatic')}</Text>
      </DescriptionListItem>
      <DescriptionListItem label={i18n.t('summary_to')}>
        <Text>{summary.to?.name ?? i18n.t('unknownPerson')}</Text>
      </DescriptionListItem>
      <DescriptionListItem label={i18n.t('summary_at')}>
        <Text>{summary.at !== null ? formatDateTime(summary.at, i18n.locale, i18n.timeZone) : '—'}</Text>
      </DescriptionListItem>
      <DescriptionListItem label={i18n.t('bant_title')}>
        <Flex direction="column" gap="xs">
          {checked.length === 0 ? <Text>{i18n.t('none')}</Text> : null}
          {checked.map((b) => (
            <Text key={b.item}>
              ✓{b.note ? i18n.t('label_value', { label: i18n.t(`bant_${b.item}` as const), value: b.note }) : i18n.t(`bant_${b.item}` as const)}
            </Text>
          ))}
        </Flex>
      </DescriptionListItem>
      <DescriptionListItem label={i18n.t('summary_reason')}>
        <Text>{summary.reason || '—'}</Text>
      </DescriptionListItem>
      {summary.rejectReason ? (
        <DescriptionListItem label={i18n.t('summary_reject_reason')}>
          <Text>{summary.rejectReason}</Text>
        </DescriptionListItem>
      ) : null}
    </DescriptionList>
  );
}

