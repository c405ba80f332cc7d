/** Scoring rules: behaviour points per signal, and the attribute points (seniority, company size, industry). */
import { Accordion, Flex, NumberInput, TextArea, Toggle } from '@hubspot/ui-extensions';
import { listToText, textToList } from './settings-draft';
import { fieldProps, ruleLabel, toggleProps, type SettingsForm } from './settings-form';

const BEHAVIOR_RULES = ['emailOpen', 'download', 'seminarAttended', 'seminarRegistered'] as const;

export function ScoringSection({ form }: { form: SettingsForm }) {
  const { i18n, s, readOnly, edit } = form;
  const attribute = s.scoring.attribute;
  return (
    <Accordion title={i18n.t('settings_scoring')} testId="section-scoring">
      <Flex direction="column" gap="sm">
        {BEHAVIOR_RULES.map((rule) => (
          <Flex key={rule} direction="row" gap="sm" align="end">
            <Toggle label={ruleLabel(i18n, rule)} labelDisplay="top" checked={s.scoring.behavior[rule].enabled} {...toggleProps(form, ['scoring', 'behavior', rule, 'enabled'])} />
            <NumberInput
              name={`points-${rule}`}
              label={i18n.t('set_points', { rule: ruleLabel(i18n, rule) })}
              value={s.scoring.behavior[rule].points}
              {...fieldProps(form, ['scoring', 'behavior', rule, 'points'])}
              testId={`points-${rule}`}
            />
          </Flex>
        ))}
        <Toggle label={ruleLabel(i18n, 'seniority')} checked={attribute.seniority.enabled} {...toggleProps(form, ['scoring', 'attribute', 'seniority', 'enabled'])} />
        <NumberInput
          name="points-seniority"
          label={i18n.t('set_points', { rule: ruleLabel(i18n, 'seniority') })}
          value={attribute.seniority.points}
          {...fieldProps(form, ['scoring', 'attribute', 'seniority', 'points'])}
        />
        <TextArea
          name="seniority-words"
          label={i18n.t('set_words')}
          value={listToText(attribute.seniority.words)}
          {...fieldProps(form, ['scoring', 'attribute', 'seniority', 'words'], textToList)}
          testId="seniority-words"
        />
        <Toggle label={ruleLabel(i18n, 'companySize')} checked={attribute.companySize.enabled} {...toggleProps(form, ['scoring', 'attribute', 'companySize', 'enabled'])} />
        <Flex direction="row" gap="sm">
          <NumberInput
            name="points-company-size"
            label={i18n.t('set_points', { rule: ruleLabel(i18n, 'companySize') })}
            value={attribute.companySize.points}
            readOnly={readOnly}
            onChange={(v: number) => edit(['scoring', 'attribute', 'companySize', 'points'], v)}
          />
          <NumberInput
            name="min-employees"
            label={i18n.t('set_min_employees')}
            value={attribute.companySize.minEmployees}
            {...fieldProps(form, ['scoring', 'attribute', 'companySize', 'minEmployees'])}
            testId="min-employees"
          />
        </Flex>
        <Toggle label={ruleLabel(i18n, 'targetIndustry')} checked={attribute.targetIndustry.enabled} {...toggleProps(form, ['scoring', 'attribute', 'targetIndustry', 'enabled'])} />
        <TextArea
          name="industries"
          label={i18n.t('set_industries')}
          value={listToText(attribute.targetIndustry.industries)}
          readOnly={readOnly}
          onChange={(v: string) => edit(['scoring', 'attribute', 'targetIndustry', 'industries'], textToList(v))}
        />
      </Flex>
    </Accordion>
  );
}
