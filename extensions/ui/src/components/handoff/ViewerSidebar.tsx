/**
 * Anyone not expected to act on the lead (a manager, Marketing, another rep, IS once
 * Sales has it): a read-only summary with no alert about permissions they were never
 * meant to have. A breach shows as for the rep: a manager is often who it went to.
 */
import { Divider, Flex, Heading, StatusTag, Text } from '@hubspot/ui-extensions';
import type { HandoffView } from '@tossup/shared/card-dto';
import type { I18n } from '../card-context';
import { SlaBreachedAlert, SlaPanel } from '../CardStates';
import { HandoffDigest } from './HandoffDigest';

export function ViewerSidebar({ i18n, view }: { i18n: I18n; view: HandoffView }) {
  return (
    <Flex direction="column" gap="sm" testId="viewer-view">
      <SlaBreachedAlert i18n={i18n} sla={view.sla} escalation={view.escalation} />
      <Flex direction="row" gap="sm" align="center" wrap>
        <Heading>
          {i18n.t('score_total')} {view.score.total}
        </Heading>
        <StatusTag variant={view.mql.isMql ? 'success' : 'default'}>{i18n.t(`stage_${view.contact.stage}` as const)}</StatusTag>
      </Flex>
      {view.summary ? (
        <Flex direction="column" gap="sm">
          <HandoffDigest i18n={i18n} summary={view.summary} />
          <Divider />
          <SlaPanel i18n={i18n} sla={view.sla} />
        </Flex>
      ) : (
        <Text variant="microcopy" testId="viewer-before-handoff">
          {view.mql.isMql
            ? i18n.t('viewer_before_handoff', { n: view.bantCount })
            : i18n.t('mql_gap', { n: view.mql.gap, threshold: view.mql.threshold })}
        </Text>
      )}
    </Flex>
  );
}
