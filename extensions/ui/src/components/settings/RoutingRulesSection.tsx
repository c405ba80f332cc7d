/**
 * Routing for large sales organisations (issue 17): ordered rules (first match wins)
 * that send a lead to a pool or a HubSpot team, pools with weights and caps, the cap,
 * availability, the fallback owner and the reassign rung of the escalation ladder.
 * Plain fields: a rule edits its first condition here; further conditions are listed
 * and kept (README "Routing and escalation").
 */
import { Accordion, Button, Flex, Input, NumberInput, Select, Text, Toggle } from '@hubspot/ui-extensions';
import type { PersonRef, TeamRef } from '@tossup/shared/card-dto';
import { pick } from '@tossup/shared/i18n';
import { ROUTING_OPERATORS, type RoutingCondition, type RoutingPool, type RoutingRule } from '@tossup/shared/settings-schema';
import { validationProps, type SettingsForm } from './settings-form';

const OPERATOR_LABELS: Record<RoutingCondition['op'], [string, string]> = {
  eq: ['等しい', 'equals'],
  in: ['いずれか', 'is any of'],
  contains: ['含む', 'contains'],
  gte: ['以上', 'at least'],
  lte: ['以下', 'at most'],
  known: ['値あり', 'is known'],
  unknown: ['値なし', 'is unknown'],
};

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

export function RoutingRulesSection({ form, teams, owners }: { form: SettingsForm; teams: readonly TeamRef[]; owners: readonly PersonRef[] }) {
  const { i18n, s, readOnly, edit } = form;
  const t = (ja: string, en: string) => pick(i18n.locale, ja, en);
  const r = s.routing;
  const ownerOptions = owners.map((o) => ({ value: o.ownerId, label: o.name }));
  const targetOptions = [
    ...r.pools.map((p) => ({ value: `pool:${p.id}`, label: t(`プール: ${p.name}`, `Pool: ${p.name}`) })),
    ...teams.map((team) => ({ value: `team:${team.id}`, label: t(`チーム: ${team.name}`, `Team: ${team.name}`) })),
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
    <Accordion title={t('ルーティング（担当の割り当て）', 'Routing (who gets the lead)')} testId="section-routing-rules">
      <Flex direction="column" gap="sm">
        <Select
          name="routing-when-owner-unavailable"
          label={t('担当企業の所有者が不在・上限到達のとき', 'When the company owner is away or at capacity')}
          value={r.whenOwnerUnavailable}
          readOnly={readOnly}
          options={[
            { value: 'route_to_pool', label: t('ルールに従って他の担当者へ', 'Route on by the rules') },
            { value: 'wait_and_warn', label: t('所有者に割り当てて警告する', 'Assign to the owner anyway, with a warning') },
          ]}
          onChange={(v) => edit(['routing', 'whenOwnerUnavailable'], v === 'wait_and_warn' ? 'wait_and_warn' : 'route_to_pool')}
        />
        <NumberInput
          name="routing-capacity"
          testId="routing-capacity"
          label={t('1人あたりの対応中トスアップ上限（空欄 = 上限なし）', 'Open hand-offs per rep (empty = no cap)')}
          value={r.capacityPerRep ?? undefined}
          readOnly={readOnly}
          {...validationProps(form, ['routing', 'capacityPerRep'])}
          onChange={(v) => edit(['routing', 'capacityPerRep'], nullableNumber(v))}
        />
        <Toggle label={t('不在設定と営業日カレンダーを考慮する', 'Respect out-of-office days and the business calendar')} checked={r.respectAvailability} readOnly={readOnly} onChange={(on) => edit(['routing', 'respectAvailability'], on)} />
        <Select
          name="routing-fallback"
          testId="routing-fallback"
          label={t('全員が対応不可のときの代替の担当者', 'Fallback owner when nobody is available')}
          value={r.fallbackOwnerId ?? ''}
          readOnly={readOnly}
          options={[{ value: '', label: t('未設定（担当件数の最も少ない営業）', 'None (the least-loaded Sales owner)') }, ...ownerOptions]}
          onChange={(v) => edit(['routing', 'fallbackOwnerId'], v ? String(v) : null)}
        />
        <NumberInput
          name="routing-reassign-after"
          testId="routing-reassign-after"
          label={t('エスカレーション後、この時間たっても初回接触がなければ再割当（時間・空欄 = しない）', 'Reassign this many hours after the escalation without a first touch (empty = never)')}
          value={r.reassignAfterHours ?? undefined}
          readOnly={readOnly}
          {...validationProps(form, ['routing', 'reassignAfterHours'])}
          onChange={(v) => edit(['routing', 'reassignAfterHours'], nullableNumber(v))}
        />
        <Input
          name="routing-managers"
          label={t('チーム割当から除外する管理者（オーナーID、カンマ区切り。エスカレーション先は自動で除外）', 'Managers left out of team targets (owner ids, comma-separated; escalation owners are left out anyway)')}
          value={r.managerOwnerIds.join(', ')}
          readOnly={readOnly}
          {...validationProps(form, ['routing', 'managerOwnerIds'])}
          onChange={(v) => edit(['routing', 'managerOwnerIds'], list(v))}
        />
        <Input
          name="routing-include"
          label={t('除外せず割り当てる管理者・エスカレーション先（オーナーID）', 'Managers or escalation owners to include anyway (owner ids)')}
          value={r.includeOwnerIds.join(', ')}
          readOnly={readOnly}
          {...validationProps(form, ['routing', 'includeOwnerIds'])}
          onChange={(v) => edit(['routing', 'includeOwnerIds'], list(v))}
        />

        <Text format={{ fontWeight: 'bold' }}>{t('担当プール', 'Pools')}</Text>
        {r.pools.map((pool, i) => (
          <Flex key={pool.id} direction="column" gap="xs">
            <Input name={`pool-${pool.id}-name`} testId={`pool-${i}-name`} label={t(`プール名（ID: ${pool.id}）`, `Pool name (id: ${pool.id})`)} value={pool.name} readOnly={readOnly} {...validationProps(form, ['routing', 'pools', String(i), 'name'])} onChange={(v) => setPool(i, { ...pool, name: v })} />
            {pool.members.map((m, k) => (
              <Flex key={m.ownerId} direction="row" gap="xs" align="end">
                <Text>{owners.find((o) => o.ownerId === m.ownerId)?.name ?? `#${m.ownerId}`}</Text>
                <NumberInput name={`pool-${pool.id}-${m.ownerId}-weight`} testId={`pool-${i}-member-${k}-weight`} label={t('重み', 'Weight')} value={m.weight} readOnly={readOnly} {...validationProps(form, ['routing', 'pools', String(i), 'members', String(k), 'weight'])} onChange={(v) => setPool(i, { ...pool, members: pool.members.map((x, j) => (j === k ? { ...x, weight: nullableNumber(v) ?? 1 } : x)) })} />
                <NumberInput name={`pool-${pool.id}-${m.ownerId}-cap`} label={t('上限（空欄 = 全体の上限）', 'Cap (empty = the general cap)')} value={m.capacity ?? undefined} readOnly={readOnly} onChange={(v) => setPool(i, { ...pool, members: pool.members.map((x, j) => (j === k ? { ...x, capacity: nullableNumber(v) } : x)) })} />
                {readOnly ? null : (
                  <Button size="xs" variant="transparent" onClick={() => setPool(i, { ...pool, members: pool.members.filter((_, j) => j !== k) })}>
                    {t('外す', 'Remove')}
                  </Button>
                )}
              </Flex>
            ))}
            {readOnly ? null : (
              <Flex direction="row" gap="xs" align="end">
                <Select
                  name={`pool-${pool.id}-add`}
                  testId={`pool-${i}-add`}
                  label={t('メンバーを追加', 'Add a member')}
                  value=""
                  options={ownerOptions.filter((o) => !pool.members.some((m) => m.ownerId === o.value))}
                  onChange={(v) => v && setPool(i, { ...pool, members: [...pool.members, { ownerId: String(v), weight: 1, capacity: null }] })}
                />
                <Button size="xs" variant="destructive" onClick={() => setPools(r.pools.filter((_, j) => j !== i))}>
                  {t('プールを削除', 'Delete the pool')}
                </Button>
              </Flex>
            )}
          </Flex>
        ))}
        {readOnly ? null : (
          <Button size="sm" onClick={() => setPools([...r.pools, { id: freshId('pool', r.pools.map((p) => p.id)), name: t('新しいプール', 'New pool'), members: [] }])} testId="routing-add-pool">
            {t('プールを追加', 'Add a pool')}
          </Button>
        )}

        <Text format={{ fontWeight: 'bold' }}>{t('ルーティングルール（上から順に、最初に当てはまったルールを使用）', 'Routing rules (in order; the first that matches wins)')}</Text>
        {r.rules.map((rule, i) => {
          const c: RoutingCondition = rule.conditions[0] ?? { object: 'contact', property: 'state', op: 'in', values: [] };
          const setCondition = (next: RoutingCondition) => setRule(i, { ...rule, conditions: [next, ...rule.conditions.slice(1)] });
          const target = rule.target.type === 'pool' ? `pool:${rule.target.poolId}` : `team:${rule.target.teamId}`;
          const base = ['routing', 'rules', String(i)];
          return (
            <Flex key={rule.id} direction="column" gap="xs">
              <Flex direction="row" gap="xs" align="end">
                <Input name={`rule-${rule.id}-name`} testId={`rule-${i}-name`} label={t(`${i + 1}. ルール名`, `${i + 1}. Rule name`)} value={rule.name} readOnly={readOnly} {...validationProps(form, [...base, 'name'])} onChange={(v) => setRule(i, { ...rule, name: v })} />
                <Toggle label={t('有効', 'On')} checked={rule.enabled} readOnly={readOnly} onChange={(on) => setRule(i, { ...rule, enabled: on })} />
              </Flex>
              <Flex direction="row" gap="xs" align="end">
                <Select name={`rule-${rule.id}-object`} label={t('対象', 'Object')} value={c.object} readOnly={readOnly} options={[{ value: 'contact', label: t('コンタクト', 'Contact') }, { value: 'company', label: t('会社', 'Company') }]} onChange={(v) => setCondition({ ...c, object: v === 'company' ? 'company' : 'contact' })} />
                <Input name={`rule-${rule.id}-property`} label={t('プロパティ（内部名）', 'Property (internal name)')} value={c.property} readOnly={readOnly} {...validationProps(form, [...base, 'conditions', '0', 'property'])} onChange={(v) => setCondition({ ...c, property: v.trim() })} />
                <Select name={`rule-${rule.id}-op`} label={t('条件', 'Operator')} value={c.op} readOnly={readOnly} options={ROUTING_OPERATORS.map((op) => ({ value: op, label: t(...OPERATOR_LABELS[op]) }))} onChange={(v) => setCondition({ ...c, op: (ROUTING_OPERATORS as readonly string[]).includes(String(v)) ? (v as RoutingCondition['op']) : 'eq' })} />
                <Input name={`rule-${rule.id}-values`} testId={`rule-${i}-values`} label={t('値（カンマ区切り）', 'Values (comma-separated)')} value={c.values.join(', ')} readOnly={readOnly} {...validationProps(form, [...base, 'conditions', '0', 'values'])} onChange={(v) => setCondition({ ...c, values: list(v) })} />
              </Flex>
              {rule.conditions.length > 1 ? <Text variant="microcopy">{t(`ほか${rule.conditions.length - 1}件の条件（すべて満たす場合に一致）`, `and ${rule.conditions.length - 1} more condition(s), all must hold`)}</Text> : null}
              <Flex direction="row" gap="xs" align="end">
                <Select
                  name={`rule-${rule.id}-target`}
                  testId={`rule-${i}-target`}
                  label={t('割り当て先', 'Target')}
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
                      ↑
                    </Button>
                    <Button size="xs" variant="transparent" disabled={i === r.rules.length - 1} onClick={() => move(i, 1)}>
                      ↓
                    </Button>
                    <Button size="xs" variant="destructive" onClick={() => setRules(r.rules.filter((_, j) => j !== i))}>
                      {t('削除', 'Delete')}
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
              setRules([...r.rules, { id: freshId('rule', r.rules.map((x) => x.id)), name: t('地域ルール', 'Territory rule'), enabled: true, conditions: [{ object: 'contact', property: 'state', op: 'in', values: [] }], target }]);
            }}
            testId="routing-add-rule"
          >
            {t('ルールを追加', 'Add a rule')}
          </Button>
        )}
      </Flex>
    </Accordion>
  );
}
