import type { RoutingCondition, RoutingPool, RoutingRule } from '@tossup/shared/settings-schema';
import type { OutOfOfficeListView, RoutingPanelView } from '@tossup/shared/routing-dto';
import type { Play } from './play-commands';

/**
 * The routing part of the story (issue 17), as the people who do it: the admin sets
 * up a pool and a territory rule on the settings page, a rep sets 「不在」 from the
 * card, and anyone reads the path in words on the tab card. Each goes through the
 * same signed card API routes the page and the cards call.
 */

/** `owner[:weight[:cap]]`, comma-separated: `1010:2:8,1011,1012::3`. */
export function parseMembers(spec: string): RoutingPool['members'] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const [ownerId = '', weight, cap] = item.split(':');
      if (!/^\d+$/.test(ownerId)) throw new Error(`--members: "${item}" is not owner[:weight[:cap]] (owner ids from \`npm run sandbox -- users\`)`);
      return { ownerId, weight: weight ? Number(weight) : 1, capacity: cap ? Number(cap) : null };
    });
}

/**
 * One `property=value` of the command line as a condition: `state=大阪府,京都府` (one of),
 * `state=大阪府` (equals), `industry=~MANUFACTURING` (contains), `numberofemployees=>=500`,
 * `numberofemployees=<=99`, `state=?` (known), `state=!` (unknown).
 */
export function parseCondition(object: 'contact' | 'company', property: string, value: string): RoutingCondition {
  if (value.startsWith('>=')) return { object, property, op: 'gte', values: [value.slice(2)] };
  if (value.startsWith('<=')) return { object, property, op: 'lte', values: [value.slice(2)] };
  if (value.startsWith('~')) return { object, property, op: 'contains', values: [value.slice(1)] };
  if (value === '?') return { object, property, op: 'known', values: [] };
  if (value === '!') return { object, property, op: 'unknown', values: [] };
  const values = value.split(',').map((v) => v.trim()).filter(Boolean);
  return values.length === 1 ? { object, property, op: 'eq', values } : { object, property, op: 'in', values };
}

export async function setRoutingPool(play: Play, input: { id: string; name: string; members: string; capPerRep?: number; as?: string }): Promise<string> {
  const members = parseMembers(input.members);
  const { admin } = await play.editSettings(input.as, (s) => {
    const pool: RoutingPool = { id: input.id, name: input.name, members };
    const at = s.routing.pools.findIndex((p) => p.id === input.id);
    if (at >= 0) s.routing.pools[at] = pool;
    else s.routing.pools.push(pool);
    if (input.capPerRep !== undefined) s.routing.capacityPerRep = input.capPerRep;
    return {};
  });
  const names = new Map((await play.listUsers()).map((u) => [u.ownerId, u.name]));
  const who = members.map((m) => `${names.get(m.ownerId) ?? m.ownerId}（重み ${m.weight}${m.capacity !== null ? `・上限 ${m.capacity}件` : ''}）`).join('、');
  return `settings saved by ${admin.name} / 設定保存: 担当プール「${input.name}」(${input.id}) = ${who}${input.capPerRep !== undefined ? ` / 1人あたりの上限 ${input.capPerRep}件 (cap per rep)` : ''}`;
}

export async function setRoutingRule(
  play: Play,
  input: { id: string; name: string; object: 'contact' | 'company'; assignments: Record<string, string>; pool?: string; team?: string; first?: boolean; as?: string },
): Promise<string> {
  const conditions = Object.entries(input.assignments).map(([k, v]) => parseCondition(input.object, k, v));
  if (!input.pool === !input.team) throw new Error('routing-rule needs exactly one of --pool ID or --team ID|NAME');
  const { admin, target } = await play.editSettings(input.as, (s, teams) => {
    const target: RoutingRule['target'] = input.pool ? { type: 'pool', poolId: input.pool } : { type: 'team', teamId: teams.find((t) => t.id === input.team || t.name === input.team)?.id ?? (input.team as string) };
    const rule: RoutingRule = { id: input.id, name: input.name, enabled: true, conditions, target };
    const rest = s.routing.rules.filter((r) => r.id !== input.id);
    const at = s.routing.rules.findIndex((r) => r.id === input.id);
    s.routing.rules = input.first ? [rule, ...rest] : at >= 0 ? s.routing.rules.map((r) => (r.id === input.id ? rule : r)) : [...rest, rule];
    return { target };
  });
  const words = conditions.map((c) => `${c.object === 'company' ? '会社' : 'コンタクト'}.${c.property} ${c.op} ${c.values.join('・')}`).join(' かつ ');
  return `settings saved by ${admin.name} / 設定保存: ルール「${input.name}」: ${words || '（条件なし: すべて）'} → ${target.type === 'pool' ? `プール ${target.poolId}` : `チーム ${target.teamId}`}`;
}

/** The card's 「不在設定」: a rep for themself (--as), or a super admin for someone (--owner). */
export async function setAway(play: Play, input: { as?: string; owner?: string; from: string; to: string; note?: string }): Promise<{ text: string; view: OutOfOfficeListView }> {
  const users = await play.listUsers();
  // `--owner` without `--as`: the portal's super admin sets someone's days (the settings page).
  const user = await play.userOf(input.as, input.owner ? users.find((u) => u.superAdmin)?.ownerId : undefined, 'rep who is away (--as), or a super admin with --owner');
  const ownerId = input.owner ? (users.find((u) => u.ownerId === input.owner || String(u.userId) === input.owner || u.email === input.owner)?.ownerId ?? input.owner) : undefined;
  await play.press('/api/v1/out-of-office', 'POST', user, { from: input.from, to: input.to, ...(ownerId && ownerId !== user.ownerId ? { ownerId } : {}), ...(input.note ? { note: input.note } : {}) });
  const view = await play.read<OutOfOfficeListView>('/api/v1/out-of-office', user);
  return { text: `不在設定 saved by ${user.name} / out of office saved:\n${awayText(view)}`, view };
}

export function awayText(view: OutOfOfficeListView): string {
  return view.ranges.map((r) => `  ${r.ownerName} (owner ${r.ownerId}): ${r.from} 〜 ${r.to}${r.note ? `  ${r.note}` : ''}  [id ${r.id}]`).join('\n') || '  （不在の登録なし / no away days）';
}

/** The tab card's routing panel: the path in words and the escalation ladder. */
export async function readRouting(play: Play, contactId: string, as: string | undefined): Promise<{ text: string; view: RoutingPanelView }> {
  const users = await play.listUsers();
  const viewer = await play.userOf(as, users.find((u) => u.superAdmin)?.ownerId, 'viewer');
  const view = await play.read<RoutingPanelView>(`/api/v1/contacts/${contactId}/routing`, viewer);
  return { text: routingText(view, contactId), view };
}

export function routingText(view: RoutingPanelView, contactId?: string): string {
  const ladder = view.ladder.map((s) => `${s.step}: ${s.state}`).join(' → ');
  return [
    `割当の経緯 / routing path${contactId ? ` (contact ${contactId})` : ''}:`,
    `  ${view.path?.ja ?? '（まだトスアップされていません）'}`,
    `  ${view.path?.en ?? '(not handed off yet)'}`,
    ...(view.warning ? [`  ⚠ ${view.warning.ja} / ${view.warning.en}`] : []),
    `  ladder: ${ladder}`,
  ].join('\n');
}
