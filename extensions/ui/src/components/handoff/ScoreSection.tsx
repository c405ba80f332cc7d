/**
 * The IS rep's first question: how hot is the lead and why — the score with its
 * breakdown, the gap to MQL (only before MQL: on an MQL or handed-off lead it would
 * mislead), which part of the MQL rule fired, and the reactions the rules read.
 */
import { Flex, Heading, List, ProgressBar, StatusTag, Text } from '@hubspot/ui-extensions';
import type { HandoffView } from '@tossup/shared/card-dto';
import { pick } from '@tossup/shared/i18n';
import type { I18n } from '../card-context';

export function ScoreSection({ i18n, view }: { i18n: I18n; view: HandoffView }) {
  const { score, mql, reactions } = view;
  const sep = i18n.locale === 'en' ? ', ' : '・';
  const reactionWords = [
    i18n.t(reactions.inquirySubmitted ? 'reaction_inquiry_yes' : 'reaction_inquiry_no'),
    i18n.t(reactions.isFirstCallDone ? 'reaction_call_yes' : 'reaction_call_no'),
    i18n.t(reactions.surveyAnswered ? 'reaction_survey_yes' : 'reaction_survey_no'),
  ];
  return (
    <Flex direction="column" gap="xs" testId="score">
      <Flex direction="row" gap="sm" align="center" wrap>
        <Heading>
          {i18n.t('score_total')} {score.total}
        </Heading>
        <StatusTag variant={mql.isMql ? 'success' : 'default'}>{i18n.t(`stage_${view.contact.stage}` as const)}</StatusTag>
      </Flex>
      {!mql.isMql && !view.handedOff ? (
        <ProgressBar
          value={Math.min(score.total, mql.threshold)}
          maxValue={Math.max(mql.threshold, 1)}
          variant={mql.gap === 0 ? 'success' : 'warning'}
          title={mql.gap > 0 ? i18n.t('mql_gap', { n: mql.gap, threshold: mql.threshold }) : i18n.t('mql_reached', { threshold: mql.threshold })}
          testId="mql-progress"
        />
      ) : null}
      {mql.isMql && mql.firedBy.length > 0 ? (
        <Text testId="mql-fired">
          {i18n.t('label_value', { label: i18n.t('mql_fired'), value: mql.firedBy.map((l) => pick(i18n.locale, l.label_ja, l.label_en)).join(i18n.locale === 'en' ? '; ' : '／') })}
        </Text>
      ) : null}
      <Text variant="microcopy" testId="reactions">
        {i18n.t('label_value', { label: i18n.t('reactions_label'), value: reactionWords.join(sep) })}
      </Text>
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
