/**
 * Tab card on contacts and deals (crm.record.tab): one timeline across Marketing,
 * Inside Sales and Sales (the article's "誰が・いつ・どのような対応をしたのか"),
 * a warning when two departments reached the lead within a short window, the
 * hand-off summary, the SLA countdown, and accept / reject for the assigned rep.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Button,
  ButtonRow,
  DescriptionList,
  DescriptionListItem,
  Divider,
  EmptyState,
  Flex,
  Heading,
  LoadingButton,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
  TextArea,
  Tile,
} from '@hubspot/ui-extensions';
import { createCardApiClient, type CardApiClient } from '../client/card-api-client';
import type { ApiError, HandoffSummaryView, TimelineDepartment, TimelineItemView, TimelineView } from '@tossup/shared/card-dto';
import { formatDateTime, pick } from '@tossup/shared/i18n';
import { ActionError, LoadError, Loading, SlaBreachedAlert, SlaPanel } from './CardStates';
import { RoutingPanel } from './RoutingPanel';
import type { RoutingApiClient } from '../client/routing-api-client';
import { i18nOf, objectTypeOf, type ActionsLike, type CardContextLike, type I18n } from './card-context';

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
  const [rejecting, setRejecting] = useState(false);
  const [rejectReason, setRejectReason] = useState('');
  const [reasonCode, setReasonCode] = useState('');
  const [invalid, setInvalid] = useState<'code' | 'detail' | null>(null);
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

  const respond = async (kind: 'accept' | 'reject') => {
    if (!contactId) return;
    if (kind === 'reject') {
      // "Other" says nothing by itself; every other configured reason is a reason.
      const problem = reasonCode === '' ? 'code' : reasonCode === 'other' && rejectReason.trim() === '' ? 'detail' : null;
      setInvalid(problem);
      if (problem) return;
    }
    setBusy(kind);
    setActionError(null);
    const r = kind === 'accept' ? await client.accept(contactId) : await client.reject(contactId, { reasonCode, reason: rejectReason.trim() });
    setBusy(null);
    if (!r.ok) return setActionError(r.error);
    setDone(kind === 'accept' ? 'accepted' : 'rejected');
    setRejecting(false);
    actions.refreshObjectProperties?.();
    actions.addAlert({ type: 'success', message: i18n.t(kind === 'accept' ? 'accepted_title' : 'rejected_title') });
    await reload();
  };

  const awaitingResponse = view.summary?.stage === 'sql';

  return (
    <Flex direction="column" gap="md">
      {done ? (
        <Alert title={i18n.t(done === 'accepted' ? 'accepted_title' : 'rejected_title')} variant="success" testId="responded">
          {view.summary ? i18n.t(`stage_${view.summary.stage}` as const) : ''}
        </Alert>
      ) : null}
      <SlaBreachedAlert i18n={i18n} sla={view.sla} />
      {actionError ? <ActionError i18n={i18n} error={actionError} /> : null}
      {view.overlaps.map((o) => (
        <Alert key={o.departments.join('|')} title={i18n.t('overlap_title')} variant="warning" testId={`overlap-${o.departments.join('-')}`}>
          {i18n.t(o.departments[0] === o.departments[1] ? 'overlap_body_same' : 'overlap_body', {
            a: i18n.t(`dept_${o.departments[0]}` as const),
            b: i18n.t(`dept_${o.departments[1]}` as const),
            hours: o.windowHours,
            when: `${formatDateTime(o.firstAt, i18n.locale, i18n.timeZone)} / ${formatDateTime(o.secondAt, i18n.locale, i18n.timeZone)}`,
          })}
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
        <Flex direction="column" gap="sm" testId="respond">
          <ButtonRow>
            <LoadingButton variant="primary" loading={busy === 'accept'} disabled={busy !== null} onClick={() => void respond('accept')} testId="accept">
              {i18n.t('accept_button')}
            </LoadingButton>
            <Button variant="secondary" disabled={busy !== null} onClick={() => setRejecting(!rejecting)} testId="reject-open">
              {i18n.t('reject_button')}
            </Button>
          </ButtonRow>
          {rejecting ? (
            <Flex direction="column" gap="sm" testId="reject-form">
              <Select
                name="reject-reason-code"
                label={i18n.t('reject_reason_label')}
                value={reasonCode}
                required
                error={invalid === 'code'}
                validationMessage={invalid === 'code' ? i18n.t('reject_reason_required') : undefined}
                options={view.rejectReasons.map((r) => ({ value: r.code, label: pick(i18n.locale, r.label_ja, r.label_en) }))}
                testId="reject-reason-code"
                onChange={(value) => {
                  setReasonCode(String(value));
                  setInvalid(null);
                }}
              />
              <TextArea
                name="reject-reason"
                label={i18n.t('reject_detail_label')}
                value={rejectReason}
                error={invalid === 'detail'}
                validationMessage={invalid === 'detail' ? i18n.t('reject_detail_required') : undefined}
                rows={3}
                maxLength={2000}
                testId="reject-reason"
                onChange={(value: string) => {
                  setRejectReason(value);
                  if (value.trim() !== '') setInvalid(null);
                }}
              />
              <LoadingButton variant="destructive" loading={busy === 'reject'} disabled={busy !== null} onClick={() => void respond('reject')} testId="reject-confirm">
                {i18n.t('reject_confirm')}
              </LoadingButton>
            </Flex>
          ) : null}
        </Flex>
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

function TimelineRow({ i18n, item }: { i18n: I18n; item: TimelineItemView }) {
  return (
    <TableRow testId={`item-${item.id}`}>
      <TableCell>{formatDateTime(item.at, i18n.locale, i18n.timeZone)}</TableCell>
      <TableCell>
        <Tag variant={DEPT_VARIANT[item.department]}>{i18n.t(`dept_${item.department}` as const)}</Tag>
      </TableCell>
      <TableCell>{item.actor?.name ?? (item.department === 'marketing' ? '—' : i18n.t('automatic'))}</TableCell>
      <TableCell>
        <Text>
          <Text inline format={{ fontWeight: 'demibold' }}>
            {i18n.t(`kind_${item.kind}` as const)}
          </Text>
          {item.title ? ` ${item.title}` : ''}
        </Text>
      </TableCell>
    </TableRow>
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
              ✓ {i18n.t(`bant_${b.item}` as const)}
              {b.note ? `: ${b.note}` : ''}
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

