/**
 * Scoring rules: behaviour points per signal, and the attribute points (seniority, company
 * size, industry). Every rule is one row of the same shape — its points, then its on/off
 * switch, then what it needs (minimum employees) — so the inputs and switches line up in
 * columns (issue 15); word lists sit under their row.
 */
import type { ReactNode } from 'react';
import { Accordion, Flex, NumberInput, TextArea, Toggle } from '@hubspot/ui-extensions';
import type { ScoringRuleId } from '@tossup/shared/rule-labels';
import { say } from './console-messages';
import { listToText, textToList } from './settings-draft';
import { fieldProps, ruleLabel, toggleProps, type SettingsForm } from './settings-form';

const BEHAVIOR_RULES = ['emailOpen', 'download', 'seminarAttended', 'seminarRegistered'] as const;
const ATTRIBUTE_RULES = ['seniority', 'companySize', 'targetIndustry'] as const;

function RuleRow({ form, rule, path, enabled, points, children }: { form: SettingsForm; rule: ScoringRuleId; path: readonly string[]; enabled: boolean; points: number; children?: ReactNode }) {
  const { i18n } = form;
  return (
    <Flex direction="row" gap="sm" align="end" wrap="wrap" testId={`scoring-row-${rule}`}>
      <NumberInput name={`points-${rule}`} label={i18n.t('set_points', { rule: ruleLabel(i18n, rule) })} value={points} {...fieldProps(form, [...path, 'points'])} testId={`points-${rule}`} />
      <Toggle label={say(i18n, 'scoring_rule_on')} checked={enabled} {...toggleProps(form, [...path, 'enabled'])} testId={`enabled-${rule}`} />
      {children}
    </Flex>
  );
}

export function ScoringSection({ form }: { form: SettingsForm }) {
  const { i18n, s } = form;
  const attribute = s.scoring.attribute;
  return (
    <Accordion title={i18n.t('settings_scoring')} {...form.section('scoring')} testId="section-scoring">
      <Flex direction="column" gap="sm">
        {BEHAVIOR_RULES.map((rule) => (
          <RuleRow key={rule} form={form} rule={rule} path={['scoring', 'behavior', rule]} enabled={s.scoring.behavior[rule].enabled} points={s.scoring.behavior[rule].points} />
        ))}
        {ATTRIBUTE_RULES.map((rule) => (
          <Flex key={rule} direction="column" gap="xs">
            <RuleRow form={form} rule={rule} path={['scoring', 'attribute', rule]} enabled={attribute[rule].enabled} points={attribute[rule].points}>
              {rule === 'companySize' ? (
                <NumberInput
                  name="min-employees"
                  label={i18n.t('set_min_employees')}
                  value={attribute.companySize.minEmployees}
                  {...fieldProps(form, ['scoring', 'attribute', 'companySize', 'minEmployees'])}
                  testId="min-employees"
                />
              ) : null}
            </RuleRow>
            {rule === 'seniority' ? (
              <TextArea
                name="seniority-words"
                label={i18n.t('set_words')}
                value={listToText(attribute.seniority.words)}
                {...fieldProps(form, ['scoring', 'attribute', 'seniority', 'words'], textToList)}
                testId="seniority-words"
              />
            ) : null}
            {rule === 'targetIndustry' ? (
              <TextArea
                name="industries"
                label={i18n.t('set_industries')}
                value={listToText(attribute.targetIndustry.industries)}
                {...fieldProps(form, ['scoring', 'attribute', 'targetIndustry', 'industries'], textToList)}
                testId="industries"
              />
            ) : null}
          </Flex>
        ))}
      </Flex>
    </Accordion>
  );
}
