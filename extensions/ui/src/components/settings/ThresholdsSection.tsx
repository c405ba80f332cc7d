/** MQL / SQL / hand-off conditions: the MQL score threshold, the gate, the rules in the rule builder, and their JSON for support. */
import { Accordion, Flex, NumberInput, Select, TextArea, Toggle } from '@hubspot/ui-extensions';
import { RuleBuilder } from './RuleBuilder';
import { mqlScoreThreshold } from './settings-draft';
import { fieldProps, toggleProps, type SettingsForm } from './settings-form';
import type { SettingsEditor } from './use-settings-editor';

type RuleEditing = Pick<SettingsEditor, 'ruleText' | 'ruleJsonError' | 'editRule' | 'editMqlThreshold' | 'setRule' | 'messages'>;

export function ThresholdsSection({ form, rules }: { form: SettingsForm; rules: RuleEditing }) {
  const { i18n, s, readOnly, msg } = form;
  const threshold = mqlScoreThreshold(s.rules.mql);
  return (
    <Accordion title={i18n.t('settings_thresholds')} testId="section-thresholds">
      <Flex direction="column" gap="sm">
        {threshold !== null ? (
          <NumberInput
            name="mql-threshold"
            label={i18n.t('set_mql_threshold')}
            value={threshold}
            {...fieldProps(form, ['rules', 'mql'])}
            testId="mql-threshold"
            onChange={rules.editMqlThreshold}
          />
        ) : null}
        <NumberInput name="min-bant" label={i18n.t('set_min_bant')} value={s.gate.minBantItems} min={0} max={4} {...fieldProps(form, ['gate', 'minBantItems'])} testId="min-bant" />
        <Toggle label={i18n.t('set_require_last_contacted')} checked={s.gate.requireLastContacted} {...toggleProps(form, ['gate', 'requireLastContacted'])} />
        <Toggle label={i18n.t('set_require_reason')} checked={s.gate.requireReason} {...toggleProps(form, ['gate', 'requireReason'])} />
        <Toggle label={i18n.t('set_auto_handoff')} checked={s.automaticHandoff} {...toggleProps(form, ['automaticHandoff'])} />
        <Select
          name="portal-language"
          label={i18n.t('set_portal_language')}
          value={s.portalLanguage}
          readOnly={readOnly}
          options={[
            { value: 'ja', label: i18n.t('set_language_ja') },
            { value: 'en', label: i18n.t('set_language_en') },
          ]}
          onChange={(v) => form.edit(['portalLanguage'], v === 'en' ? 'en' : 'ja')}
          testId="portal-language"
        />
        <NumberInput name="overlap-window" label={i18n.t('set_overlap_window')} value={s.overlapWindowHours} {...fieldProps(form, ['overlapWindowHours'])} testId="overlap-window" />
        {(['mql', 'sql'] as const).map((which) => (
          <RuleBuilder key={which} i18n={i18n} which={which} rule={s.rules[which]} readOnly={readOnly} messages={rules.messages} onChange={(rule) => rules.setRule(which, rule)} />
        ))}
        {(['mql', 'sql'] as const).map((which) => (
          <TextArea
            key={which}
            name={`rule-${which}`}
            label={i18n.t(which === 'mql' ? 'set_mql_rule' : 'set_sql_rule')}
            value={rules.ruleText[which]}
            rows={6}
            readOnly={readOnly}
            error={rules.ruleJsonError[which] || Boolean(msg(`rules.${which}`))}
            validationMessage={rules.ruleJsonError[which] ? i18n.t('set_json_invalid') : msg(`rules.${which}`)}
            testId={`rule-${which}`}
            onChange={(v: string) => rules.editRule(which, v)}
          />
        ))}
      </Flex>
    </Accordion>
  );
}
