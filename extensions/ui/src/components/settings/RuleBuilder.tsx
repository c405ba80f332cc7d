/**
 * The rule builder (issue 16): an MQL / SQL rule or the hand-off gate as conditions (fact, operator,
 * value) grouped with AND / OR and negated with NOT, from UI-extension components
 * only, so nobody has to type JSON. The facts and their ja/en labels are the list the
 * engine evaluates (extensions/shared/src/rule-labels.ts); every edit is validated by
 * the shared schema and its message is shown next to the condition or group it names.
 */
import type { ReactNode } from 'react';
import { Button, Flex, NumberInput, Select, Text } from '@hubspot/ui-extensions';
import { BOOLEAN_FACTS, COMPARATOR_LABELS, FACT_LABELS, NUMERIC_FACTS, type BooleanFact, type NumericFact } from '@tossup/shared/rule-labels';
import type { RuleExpr } from '@tossup/shared/settings-schema';
import type { I18n } from '../card-context';
import { say } from './console-messages';
import { addTo, nodeAt, removeAt, schemaPath, setComparison, setFact, setGroupKind, toggleNot, type NodePath } from './rule-builder-ops';
import { rulePath, type RuleKind } from './settings-draft';

const TITLES = { mql: 'builder_mql', sql: 'builder_sql', gate: 'builder_gate' } as const;

export interface RuleBuilderProps {
  i18n: I18n;
  which: RuleKind;
  rule: RuleExpr;
  readOnly: boolean;
  /** The schema's messages by exact field path (use-settings-editor `messages`). */
  messages: Record<string, string>;
  onChange: (rule: RuleExpr) => void;
}

type Comparator = keyof typeof COMPARATOR_LABELS;
const COMPARATORS = Object.keys(COMPARATOR_LABELS) as Comparator[];

export function RuleBuilder(props: RuleBuilderProps) {
  return (
    <Flex direction="column" gap="xs" testId={`builder-${props.which}`}>
      <Text format={{ fontWeight: 'bold' }}>{say(props.i18n, TITLES[props.which])}</Text>
      <Node {...props} path={[]} />
    </Flex>
  );
}

function Node(props: RuleBuilderProps & { path: NodePath }) {
  const { i18n, which, rule, readOnly, messages, onChange, path } = props;
  const node = nodeAt(rule, path);
  const tid = `rule-${which}-${path.length ? path.join('-') : 'root'}`;
  const at = schemaPath(rulePath(which).join('.'), rule, path);
  const controls = (
    <>
      {!readOnly ? (
        <Button size="xs" variant="transparent" onClick={() => onChange(toggleNot(rule, path))} testId={`${tid}-not`}>
          {say(i18n, node.type === 'not' ? 'builder_unnegate' : 'builder_negate')}
        </Button>
      ) : null}
      {!readOnly && path.length > 0 ? (
        <Button size="xs" variant="transparent" onClick={() => onChange(removeAt(rule, path))} testId={`${tid}-remove`}>
          {say(i18n, 'builder_remove')}
        </Button>
      ) : null}
    </>
  );
  const error = (p: string) =>
    messages[p] ? (
      <Text variant="microcopy" format={{ fontWeight: 'demibold' }} testId={`${tid}-error`}>
        {messages[p]}
      </Text>
    ) : null;

  if (node.type === 'not') {
    return (
      <Flex direction="column" gap="xs">
        <Flex direction="row" gap="sm" align="center">
          <Text format={{ fontWeight: 'demibold' }}>{say(i18n, 'builder_not')}</Text>
          {controls}
        </Flex>
        <Indented>
          <Node {...props} path={[...path, 0]} />
        </Indented>
      </Flex>
    );
  }

  if (node.type === 'and' || node.type === 'or') {
    return (
      <Flex direction="column" gap="xs">
        <Flex direction="row" gap="sm" align="end">
          <Select
            name={`${tid}-kind`}
            label={say(i18n, 'builder_group')}
            value={node.type}
            readOnly={readOnly}
            options={[
              { value: 'and', label: say(i18n, 'builder_and') },
              { value: 'or', label: say(i18n, 'builder_or') },
            ]}
            onChange={(v) => onChange(setGroupKind(rule, path, v === 'or' ? 'or' : 'and'))}
            testId={`${tid}-kind`}
          />
          {controls}
        </Flex>
        {error(`${at}.of`)}
        <Indented>
          {node.of.map((_, i) => (
            <Node key={i} {...props} path={[...path, i]} />
          ))}
          {!readOnly ? (
            <Flex direction="row" gap="sm">
              <Button size="xs" variant="secondary" onClick={() => onChange(addTo(rule, path, 'condition'))} testId={`${tid}-add`}>
                {say(i18n, 'builder_add_condition')}
              </Button>
              <Button size="xs" variant="secondary" onClick={() => onChange(addTo(rule, path, 'group'))} testId={`${tid}-add-group`}>
                {say(i18n, 'builder_add_group')}
              </Button>
            </Flex>
          ) : null}
        </Indented>
      </Flex>
    );
  }

  const label = (f: BooleanFact | NumericFact) => FACT_LABELS[f][i18n.locale];
  return (
    <Flex direction="column" gap="flush">
      <Flex direction="row" gap="sm" align="end" wrap="wrap">
        <Select
          name={`${tid}-fact`}
          label={say(i18n, 'builder_fact')}
          value={node.fact}
          readOnly={readOnly}
          options={[...BOOLEAN_FACTS, ...NUMERIC_FACTS].map((f) => ({ value: f, label: label(f) }))}
          onChange={(v) => onChange(setFact(rule, path, v as BooleanFact | NumericFact))}
          testId={`${tid}-fact`}
        />
        {node.type === 'compare' ? (
          <>
            <Select
              name={`${tid}-op`}
              label={say(i18n, 'builder_operator')}
              value={node.op}
              readOnly={readOnly}
              options={COMPARATORS.map((op) => ({ value: op, label: COMPARATOR_LABELS[op] }))}
              onChange={(v) => onChange(setComparison(rule, path, { op: v as Comparator }))}
              testId={`${tid}-op`}
            />
            <NumberInput
              name={`${tid}-value`}
              label={say(i18n, 'builder_value')}
              value={node.value}
              readOnly={readOnly}
              error={Boolean(messages[`${at}.value`])}
              validationMessage={messages[`${at}.value`]}
              onChange={(v: number) => onChange(setComparison(rule, path, { value: v }))}
              testId={`${tid}-value`}
            />
          </>
        ) : null}
        {controls}
      </Flex>
      {error(at)}
    </Flex>
  );
}

function Indented({ children }: { children: ReactNode }) {
  return (
    <Flex direction="row" gap="sm">
      <Text>{'　'}</Text>
      <Flex direction="column" gap="xs">
        {children}
      </Flex>
    </Flex>
  );
}
