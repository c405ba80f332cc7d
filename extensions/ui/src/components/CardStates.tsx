/**
 * Loading, error and SLA pieces shared by both cards, so they look and read the same.
 */
import { Alert, Button, DescriptionList, DescriptionListItem, ErrorState, Flex, LoadingSpinner, StatusTag, Text } from '@hubspot/ui-extensions';
import type { ApiError, EscalationView, SlaClockView, SlaView } from '@tossup/shared/card-dto';
import { formatDateTime, formatDuration, pick } from '@tossup/shared/i18n';
import type { I18n } from './card-context';

export function Loading({ i18n }: { i18n: I18n }) {
  return <LoadingSpinner label={i18n.t('loading')} showLabel layout="centered" testId="loading" />;
}

export function LoadError({ i18n, error, onRetry }: { i18n: I18n; error: ApiError; onRetry: () => void }) {
  const forbidden = error.code === 'forbidden' || error.code === 'unauthorized';
  return (
    <ErrorState title={forbidden ? i18n.t('notAuthorisedTitle') : i18n.t('errorTitle')} type={forbidden ? 'lock' : 'error'} testId="load-error">
      <Text>{pick(i18n.locale, error.message_ja, error.message_en)}</Text>
      <Button onClick={onRetry} testId="retry">
        {i18n.t('retry')}
      </Button>
    </ErrorState>
  );
}

/** A failed change: the server's own bilingual words, and each missing item by name. */
export function ActionError({ i18n, error }: { i18n: I18n; error: ApiError }) {
  const forbidden = error.code === 'forbidden';
  return (
    <Alert title={forbidden ? i18n.t('notAuthorisedTitle') : pick(i18n.locale, error.message_ja, error.message_en)} variant={forbidden ? 'warning' : 'danger'} testId="action-error">
      <Flex direction="column" gap="xs">
        {forbidden ? <Text>{pick(i18n.locale, error.message_ja, error.message_en)}</Text> : null}
        {(error.missing ?? []).map((m) => (
          <Text key={m.code}>・{pick(i18n.locale, m.label_ja, m.label_en)}</Text>
        ))}
      </Flex>
    </Alert>
  );
}

const STATUS_VARIANT = { pending: 'warning', met: 'success', breached: 'danger' } as const;

function SlaLine({ i18n, clock }: { i18n: I18n; clock: SlaClockView }) {
  const parts: string[] = [];
  if (clock.dueAt !== null) parts.push(i18n.t('sla_due', { due: formatDateTime(clock.dueAt, i18n.locale, i18n.timeZone) }));
  if (clock.status === 'pending' && clock.remainingMs !== null) {
    const left = formatDuration(clock.remainingMs, i18n.locale);
    parts.push(clock.remainingMs >= 0 ? i18n.t('sla_remaining', { left }) : i18n.t('sla_overdue', { left }));
  }
  return (
    // wrap: at 320 px the text moves to the next line instead of squeezing the tag to one character per line (「対応待/ち」).
    <Flex direction="row" gap="xs" align="center" wrap>
      <StatusTag variant={STATUS_VARIANT[clock.status]}>{i18n.t(`sla_${clock.status}` as const)}</StatusTag>
      <Text variant="microcopy">{parts.join(' · ')}</Text>
    </Flex>
  );
}

export function SlaPanel({ i18n, sla }: { i18n: I18n; sla: SlaView | null }) {
  if (!sla) return <Text variant="microcopy">{i18n.t('sla_none')}</Text>;
  return (
    <DescriptionList direction="column" testId="sla">
      <DescriptionListItem label={i18n.t('sla_first_touch')}>
        <SlaLine i18n={i18n} clock={sla.firstTouch} />
      </DescriptionListItem>
      <DescriptionListItem label={i18n.t('sla_status_update')}>
        <SlaLine i18n={i18n} clock={sla.statusUpdate} />
      </DescriptionListItem>
    </DescriptionList>
  );
}

/**
 * After a breach: which SLA, by how many hours, and who it was escalated to — the
 * alert title says what happened, the body what followed (never the title again).
 */
export function SlaBreachedAlert({ i18n, sla, escalation }: { i18n: I18n; sla: SlaView | null; escalation?: EscalationView | null }) {
  if (!sla?.breached) return null;
  const [which, clock] = sla.firstTouch.status === 'breached' ? (['sla_first_touch', sla.firstTouch] as const) : (['sla_status_update', sla.statusUpdate] as const);
  const overdue = clock.remainingMs !== null && clock.remainingMs < 0 ? formatDuration(clock.remainingMs, i18n.locale) : null;
  const title = overdue ? i18n.t('breach_title', { sla: i18n.t(which), left: overdue }) : i18n.t('sla_breached_title');
  return (
    <Alert title={title} variant="danger" testId="sla-breached">
      {escalation
        ? i18n.t('escalated_to', { to: escalation.to?.name ?? i18n.t('unknownPerson'), at: formatDateTime(escalation.at, i18n.locale, i18n.timeZone) })
        : i18n.t('sla_breached_body')}
    </Alert>
  );
}
