/**
 * Routing for large sales organisations (issue 17): ordered rules (first match wins)
 * that send a lead to a pool or a HubSpot team, pools with weights and caps, the cap,
 * availability, the fallback owner and the reassign rung of the escalation ladder.
 * A rule's conditions are edited one row each (add, remove), combined with AND or OR;
 * the schema's message for a condition shows under its own inputs. The admin console's
 * RuleBuilder does not fit here: it builds trees over the engine's fixed facts, while a
 * routing condition names any contact or company property (README "Routing and escalation").
 * Words come from the settings catalogue (console-messages.ts).
 */
import { Accordion, Button, Flex, Input, NumberInput, Select, Text, Toggle } from '@hubspot/ui-extensions';
import type { PersonRef, TeamRef } from '@tossup/shared/card-dto';
import { ROUTING_OPERATORS, type RoutingCondition, type RoutingPool, type RoutingRule } from '@tossup/shared/settings-schema';
import { say } from './console-messages';
import { validationProps, type SettingsForm } from './settings-form';

const OPERATOR_KEYS = {
  eq: 'routing_op_eq',
  in: 'routing_op_in',
  contains: 'routing_op_contains',
  gte: 'routing_op_gte',
  lte: 'routing_op_lte',
  known: 'routing_op_known',
  unknown: 'routing_op_unknown',
} as const satisfies Record<RoutingCondition['op'], string>;

/** A fresh id not used yet: `rule_3`, `pool_2`. */
function freshId(prefix: string, used: readonly string[]): string {
  for (let i = used.length + 1; ; i++) if (!used.includes(`${prefix}_${i}`)) return `${prefix}_${i}`;
}

const list = (text: string): string[] =>
  text
    .split(/[,、，]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');

const nullableNumber = (v: number | undefined | null): number | null => (v === undefined || v === null || Number.isNaN(v) ? null : v);

/** What a new condition starts as: the contact's prefecture, one of (values to fill in). */
export const newRoutingCondition = (): RoutingCondition => ({ object: 'contact', property: 'state', op: 'in', values: [] });

export function RoutingRulesSection({ form, teams, owners }: { form: SettingsForm; teams: readonly TeamRef[]; owners: readonly PersonRef[] }) {
  const { i18n, s, readOnly, edit } = form;
  const t = (key: Parameters<typeof say>[1], params?: Parameters<typeof say>[2]) => say(i18n, key, params);
  const r = s.routing;
  const ownerOptions = owners.map((o) => ({ value: o.ownerId, label: o.name }));
  const targetOptions = [
    ...r.pools.map((p) => ({ value: `pool:${p.id}`, label: t('routing_target_pool', { name: p.name }) })),
    ...teams.map((team) => ({ value: `team:${team.id}`, label: t('routing_target_team', { name: team.name }) })),
  ];
  const setRules = (rules: RoutingRule[]) => edit(['routing', 'rules'], rules);
  const setRule = (i: number, rule: RoutingRule) => setRules(r.rules.map((x, j) => (j === i ? rule : x)));
  const setPools = (pools: RoutingPool[]) => edit(['routing', 'pools'], pools);
  const setPool = (i: number, pool: RoutingPool) => setPools(r.pools.map((x, j) => (j === i ? pool : x)));
  const move = (i: number, by: number) => {
    const next = [...r.rules];
    const [rule] = next.splice(i, 1);
    next.splice(i + by, 0, rule!);
    setRules(next);
  };

  return (
    <Accordion title={t('routing_title')} {...form.section('routingRules')} testId="section-routing-rules">
      <Flex direction="column" gap="sm">
        <Select
          name="routing-when-owner-unavailable"
          label={t('routing_when_owner_unavailable')}
          value={r.whenOwnerUnavailable}
          readOnly={readOnly}
          options={[
            { value: 'route_to_pool', label: t('routing_route_to_pool') },
            { value: 'wait_and_warn', label: t('routing_wait_and_warn') },
          ]}
          onChange={(v) => edit(['routing', 'whenOwnerUnavailable'], v === 'wait_and_warn' ? 'wait_and_warn' : 'route_to_pool')}
        />
        <NumberInput
          name="routing-capacity"
          testId="routing-capacity"
          label={t('routing_capacity')}
          value={r.capacityPerRep ?? undefined}
          readOnly={readOnly}
          {...validationProps(form, ['routing', 'capacityPerRep'])}
          onChange={(v) => edit(['routing', 'capacityPerRep'], nullableNumber(v))}
        />
        <Toggle label={t('routing_respect_availability')} checked={r.respectAvailability} readOnly={readOnly} onChange={(on) => edit(['routing', 'respectAvailability'], on)} />
        <Select
          name="routing-fallback"
          testId="routing-fallback"
          label={t('routing_fallback')}
          value={r.fallbackOwnerId ?? ''}
          readOnly={readOnly}
          options={[{ value: '', label: t('routing_fallback_none') }, ...ownerOptions]}
          onChange={(v) => edit(['routing', 'fallbackOwnerId'], v ? String(v) : null)}
        />
        <NumberInput
          name="routing-reassign-after"
          testId="routing-reassign-after"
          label={t('routing_reassign_after')}
          value={r.reassignAfterHours ?? undefined}
          readOnly={readOnly}
          {...validationProps(form, ['routing', 'reassignAfterHours'])}
          onChange={(v) => edit(['routing', 'reassignAfterHours'], nullableNumber(v))}
        />
        <Input
          name="routing-managers"
          label={t('routing_managers')}
          value={r.managerOwnerIds.join(', ')}
          readOnly={readOnly}
          {...validationProps(form, ['routing', 'managerOwnerIds'])}
          onChange={(v) => edit(['routing', 'managerOwnerIds'], list(v))}
        />
        <Input
          name="routing-include"
          label={t('routing_include')}
          value={r.includeOwnerIds.join(', ')}
          readOnly={readOnly}
          {...validationProps(form, ['routing', 'includeOwnerIds'])}
          onChange={(v) => edit(['routing', 'includeOwnerIds'], list(v))}
        />

        <Text format={{ fontWeight: 'bold' }}>{t('routing_pools')}</Text>
        {r.pools.map((pool, i) => (
          <Flex key={pool.id} direction="column" gap="xs">
            <Input name={`pool-${pool.id}-name`} testId={`pool-${i}-name`} label={t('routing_pool_name', { id: pool.id })} value={pool.name} readOnly={readOnly} {...validationProps(form, ['routing', 'pools', String(i), 'name'])} onChange={(v) => setPool(i, { ...pool, name: v })} />
            {pool.members.map((m, k) => (
              <Flex key={m.ownerId} direction="row" gap="xs" align="end">
                <Text>{owners.find((o) => o.ownerId === m.ownerId)?.name ?? `#${m.ownerId}`}</Text>
                <NumberInput name={`pool-${pool.id}-${m.ownerId}-weight`} testId={`pool-${i}-member-${k}-weight`} label={t('routing_weight')} value={m.weight} readOnly={readOnly} {...validationProps(form, ['routing', 'pools', String(i), 'members', String(k), 'weight'])} onChange={(v) => setPool(i, { ...pool, members: pool.members.map((x, j) => (j === k ? { ...x, weight: nullableNumber(v) ?? 1 } : x)) })} />
                <NumberInput name={`pool-${pool.id}-${m.ownerId}-cap`} label={t('routing_member_cap')} value={m.capacity ?? undefined} readOnly={readOnly} onChange={(v) => setPool(i, { ...pool, members: pool.members.map((x, j) => (j === k ? { ...x, capacity: nullableNumber(v) } : x)) })} />
                {readOnly ? null : (
                  <Button size="xs" variant="transparent" onClick={() => setPool(i, { ...pool, members: pool.members.filter((_, j) => j !== k) })}>
                    {t('routing_member_remove')}
                  </Button>
                )}
              </Flex>
            ))}
            {readOnly ? null : (
              <Flex direction="row" gap="xs" align="end">
                <Select
                  name={`pool-${pool.id}-add`}
                  testId={`pool-${i}-add`}
                  label={t('routing_member_add')}
                  value=""
                  options={ownerOptions.filter((o) => !pool.members.some((m) => m.ownerId === o.value))}
                  onChange={(v) => v && setPool(i, { ...pool, members: [...pool.members, { ownerId: String(v), weight: 1, capacity: null }] })}
                />
                <Button size="xs" variant="destructive" onClick={() => setPools(r.pools.filter((_, j) => j !== i))}>
                  {t('routing_pool_delete')}
                </Button>
              </Flex>
            )}
          </Flex>
        ))}
        {readOnly ? null : (
          <Button size="sm" onClick={() => setPools([...r.pools, { id: freshId('pool', r.pools.map((p) => p.id)), name: t('routing_pool_new'), members: [] }])} testId="routing-add-pool">
            {t('routing_pool_add')}
          </Button>
        )}

        <Text format={{ fontWeight: 'bold' }}>{t('routing_rules')}</Text>
        {r.rules.map((rule, i) => {
          const target = rule.target.type === 'pool' ? `pool:${rule.target.poolId}` : `team:${rule.target.teamId}`;
          const base = ['routing', 'rules', String(i)];
          const setConditions = (conditions: RoutingCondition[]) => setRule(i, { ...rule, conditions });
          const setCondition = (k: number, next: RoutingCondition) => setConditions(rule.conditions.map((x, j) => (j === k ? next : x)));
          const any = rule.match === 'any';
          return (
            <Flex key={rule.id} direction="column" gap="xs" testId={`rule-${i}`}>
              <Flex direction="row" gap="xs" align="end">
                <Input name={`rule-${rule.id}-name`} testId={`rule-${i}-name`} label={t('routing_rule_name', { n: i + 1 })} value={rule.name} readOnly={readOnly} {...validationProps(form, [...base, 'name'])} onChange={(v) => setRule(i, { ...rule, name: v })} />
                <Toggle label={t('routing_rule_on')} checked={rule.enabled} readOnly={readOnly} onChange={(on) => setRule(i, { ...rule, enabled: on })} />
              </Flex>
              {rule.conditions.length > 1 ? (
                <Select
                  name={`rule-${rule.id}-match`}
                  testId={`rule-${i}-match`}
                  label={t('routing_match')}
                  value={any ? 'any' : 'all'}
                  readOnly={readOnly}
                  options={[
                    { value: 'all', label: t('routing_match_all') },
                    { value: 'any', label: t('routing_match_any') },
                  ]}
                  onChange={(v) => {
                    // `all` is the schema's default: leave the field out so documents stay as before.
                    const { match: _drop, ...rest } = rule;
                    setRule(i, v === 'any' ? { ...rest, match: 'any' } : rest);
                  }}
                />
              ) : null}
              {rule.conditions.length === 0 ? <Text variant="microcopy">{t('routing_no_condition')}</Text> : null}
              {rule.conditions.map((c, k) => {
                const at = [...base, 'conditions', String(k)];
                const tid = `rule-${i}-condition-${k}`;
                return (
                  <Flex key={k} direction="column" gap="xs" testId={tid}>
                    <Text variant="microcopy">{k === 0 ? t('routing_condition_n', { n: 1 }) : `${t(any ? 'routing_joiner_any' : 'routing_joiner_all')} — ${t('routing_condition_n', { n: k + 1 })}`}</Text>
                    <Flex direction="row" gap="xs" align="end">
                      <Select name={`${tid}-object`} testId={`${tid}-object`} label={t('routing_object')} value={c.object} readOnly={readOnly} options={[{ value: 'contact', label: t('routing_object_contact') }, { value: 'company', label: t('routing_object_company') }]} onChange={(v) => setCondition(k, { ...c, object: v === 'company' ? 'company' : 'contact' })} />
                      <Input name={`${tid}-property`} testId={`${tid}-property`} label={t('routing_property')} value={c.property} readOnly={readOnly} {...validationProps(form, [...at, 'property'])} onChange={(v) => setCondition(k, { ...c, property: v.trim() })} />
                      <Select
                        name={`${tid}-op`}
                        testId={`${tid}-op`}
                        label={t('routing_operator')}
                        value={c.op}
                        readOnly={readOnly}
                        options={ROUTING_OPERATORS.map((op) => ({ value: op, label: t(OPERATOR_KEYS[op]) }))}
                        onChange={(v) => {
                          const op = (ROUTING_OPERATORS as readonly string[]).includes(String(v)) ? (v as RoutingCondition['op']) : 'eq';
                          // 値あり / 値なし take no value: drop the old ones so the rule reads as it behaves.
                          setCondition(k, { ...c, op, values: op === 'known' || op === 'unknown' ? [] : c.values });
                        }}
                      />
                      {c.op === 'known' || c.op === 'unknown' ? null : (
                        <Input name={`${tid}-values`} testId={`${tid}-values`} label={t('routing_values')} value={c.values.join(', ')} readOnly={readOnly} {...validationProps(form, [...at, 'values'])} onChange={(v) => setCondition(k, { ...c, values: list(v) })} />
                      )}
                      {readOnly ? null : (
                        <Button size="xs" variant="transparent" testId={`${tid}-remove`} onClick={() => setConditions(rule.conditions.filter((_, j) => j !== k))}>
                          {t('routing_condition_remove')}
                        </Button>
                      )}
                    </Flex>
                  </Flex>
                );
              })}
              {readOnly ? null : (
                <Button size="xs" variant="secondary" testId={`rule-${i}-add-condition`} disabled={rule.conditions.length >= 10} onClick={() => setConditions([...rule.conditions, newRoutingCondition()])}>
                  {t('routing_condition_add')}
                </Button>
              )}
              <Flex direction="row" gap="xs" align="end">
                <Select
                  name={`rule-${rule.id}-target`}
                  testId={`rule-${i}-target`}
                  label={t('routing_target')}
                  value={target}
                  readOnly={readOnly}
                  {...validationProps(form, [...base, 'target'])}
                  options={targetOptions}
                  onChange={(v) => {
                    const [kind, id] = String(v).split(':');
                    if (kind === 'pool' && id) setRule(i, { ...rule, target: { type: 'pool', poolId: id } });
                    if (kind === 'team' && id) setRule(i, { ...rule, target: { type: 'team', teamId: id } });
                  }}
                />
                {readOnly ? null : (
                  <>
                    <Button size="xs" variant="transparent" disabled={i === 0} onClick={() => move(i, -1)}>
                      {`↑ ${t('routing_rule_up')}`}
                    </Button>
                    <Button size="xs" variant="transparent" disabled={i === r.rules.length - 1} onClick={() => move(i, 1)}>
                      {`↓ ${t('routing_rule_down')}`}
                    </Button>
                    <Button size="xs" variant="destructive" testId={`rule-${i}-delete`} onClick={() => setRules(r.rules.filter((_, j) => j !== i))}>
                      {t('routing_rule_delete')}
                    </Button>
                  </>
                )}
              </Flex>
            </Flex>
          );
        })}
        {readOnly ? null : (
          <Button
            size="sm"
            disabled={targetOptions.length === 0}
            onClick={() => {
              const first = targetOptions[0]!.value.split(':');
              const target: RoutingRule['target'] = first[0] === 'pool' ? { type: 'pool', poolId: first[1]! } : { type: 'team', teamId: first[1]! };
              setRules([...r.rules, { id: freshId('rule', r.rules.map((x) => x.id)), name: t('routing_rule_new'), enabled: true, conditions: [newRoutingCondition()], target }]);
            }}
            testId="routing-add-rule"
          >
            {t('routing_rule_add')}
          </Button>
        )}
      </Flex>
    </Accordion>
  );
}
