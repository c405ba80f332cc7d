/**
 * The hand-off at a glance for the rep and for read-only viewers: who tossed it to
 * whom, when, why, and the BANT answers IS heard — a few lines, so the rep's sidebar
 * fits HubSpot's narrow column without scrolling.
 */
import { Flex, Text } from '@hubspot/ui-extensions';
import type { HandoffSummaryView } from '@tossup/shared/card-dto';
import { formatDateTime } from '@tossup/shared/i18n';
import type { I18n } from '../card-context';

export function HandoffDigest({ i18n, summary }: { i18n: I18n; summary: HandoffSummaryView }) {
  return (
    <Flex direction="column" gap="xs" testId="digest">
      <Text format={{ fontWeight: 'bold' }} testId="digest-route">
        {i18n.t('digest_route', { by: summary.by?.name ?? i18n.t('automatic'), to: summary.to?.name ?? i18n.t('unknownPerson') })}
      </Text>
      {summary.at !== null ? (
        <Text variant="microcopy" testId="digest-at">
          {i18n.t('digest_at', { at: formatDateTime(summary.at, i18n.locale, i18n.timeZone) })}
        </Text>
      ) : null}
      {summary.reason ? <Text testId="digest-reason">{summary.reason}</Text> : null}
      <Flex direction="column" gap="flush" testId="digest-bant">
        {summary.bant.map((b) => (
          <Text key={b.item} variant={b.checked ? 'bodytext' : 'microcopy'} testId={`digest-bant-${b.item}`}>
            {b.checked ? '✓' : '－'}
            {b.checked && b.note ? i18n.t('label_value', { label: i18n.t(`bant_${b.item}` as const), value: b.note }) : i18n.t(`bant_${b.item}` as const)}
          </Text>
        ))}
      </Flex>
      {summary.rejectReason ? (
        <Text testId="digest-reject">
          {i18n.t('label_value', { label: i18n.t('summary_reject_reason'), value: summary.rejectReason })}
        </Text>
      ) : null}
    </Flex>
  );
}
