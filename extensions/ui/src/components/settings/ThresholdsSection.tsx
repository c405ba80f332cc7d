/**
 * MQL / SQL / hand-off conditions: the MQL score threshold and the gate's BANT minimum as
 * shortcuts, the three rules (MQL, SQL, the hand-off gate) in the rule builder, and their
 * JSON for support.
 */
import { Accordion, Flex, NumberInput, Select, Text, TextArea, Toggle } from '@hubspot/ui-extensions';
import { say } from './console-messages';
import { RuleBuilder } from './RuleBuilder';
import { factThreshold, messageFor, mqlScoreThreshold, RULE_KINDS, ruleOf, rulePath } from './settings-draft';
import { fieldProps, toggleProps, type SettingsForm } from './settings-form';
import type { SettingsEditor } from './use-settings-editor';

type RuleEditing = Pick<SettingsEditor, 'ruleText' | 'ruleJsonError' | 'editRule' | 'editMqlThreshold' | 'editMinBant' | 'setRule' | 'messages'>;

const JSON_LABELS = { mql: 'set_mql_rule', sql: 'set_sql_rule', gate: 'set_gate_rule' } as const;

export function ThresholdsSection({ form, rules }: { form: SettingsForm; rules: RuleEditing }) {
  const { i18n, s, readOnly, msg } = form;
  const threshold = mqlScoreThreshold(s.rules.mql);
  // 「BANT n項目以上」: the first "BANT確認数 ≥ n" of the gate; its message is the one on that comparison's value.
  const minBant = factThreshold(s.gate.rule, 'bant_count');
  const minBantMessage = minBant !== null ? messageFor(rules.messages, 'gate.rule') : undefined;
  return (
    <Accordion title={i18n.t('settings_thresholds')} {...form.section('thresholds')} testId="section-thresholds">
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
        {minBant !== null ? (
          <NumberInput
            name="min-bant"
            label={i18n.t('set_min_bant')}
            value={minBant}
            min={0}
            max={4}
            readOnly={readOnly}
            error={Boolean(minBantMessage)}
            validationMessage={minBantMessage}
            testId="min-bant"
            onChange={rules.editMinBant}
          />
        ) : null}
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
        {RULE_KINDS.map((which) => (
          <Flex key={which} direction="column" gap="xs">
            {which === 'gate' ? <Text variant="microcopy">{say(i18n, 'builder_gate_hint')}</Text> : null}
            <RuleBuilder i18n={i18n} which={which} rule={ruleOf(s, which)} readOnly={readOnly} messages={rules.messages} onChange={(rule) => rules.setRule(which, rule)} />
          </Flex>
        ))}
        {RULE_KINDS.map((which) => (
          <TextArea
            key={which}
            name={`rule-${which}`}
            label={i18n.t(JSON_LABELS[which])}
            value={rules.ruleText[which]}
            rows={6}
            readOnly={readOnly}
            error={rules.ruleJsonError[which] || Boolean(msg(rulePath(which).join('.')))}
            validationMessage={rules.ruleJsonError[which] ? i18n.t('set_json_invalid') : msg(rulePath(which).join('.'))}
            testId={`rule-${which}`}
            onChange={(v: string) => rules.editRule(which, v)}
          />
        ))}
      </Flex>
    </Accordion>
  );
}
