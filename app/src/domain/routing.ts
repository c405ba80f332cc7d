/**
 * Who gets the lead. Pure and deterministic (docs/product.md §5, issue 17):
 *
 *   1. the primary company's owner, if in a Sales team (settings.routing.preferCompanyOwner)
 *      and available and under the cap; when they are not, the admin chose: route on
 *      (`route_to_pool`) or give it to them anyway with a warning (`wait_and_warn`);
 *   2. the first routing rule that matches → its target, a named pool (weights,
 *      per-rep caps) or a HubSpot team; no rule → every Sales-team owner;
 *   3. weighted round-robin over the target's available reps under their cap: the
 *      fewest assignments per weight (counts live in the database, so fairness survives
 *      restarts and is shared by every process), ties broken by owner id;
 *   4. nobody available → the fallback owner, else the least-loaded Sales owner, with a warning.
 *
 * Every decision carries its trace: the rule, the target, each candidate and why it
 * was skipped (routing-path.ts puts it in words). With the default settings (no rules,
 * pools or caps, nobody away) the result is the routing tossup always had.
 */
import type { PortalSettings, RoutingRule } from '@tossup/shared/settings-schema';
import type { ContactSnapshot, Owner, PortalDirectory, RoutingClaim } from './types';
import { activeOwnersIn, compareOwnerIds, departmentsOfOwner, isActiveIn } from './departments';
import { availabilityOn, workingDateFor } from './availability';
import { matchRoutingRule } from './routing-rules';

export type Pool = 'inside_sales' | 'sales';

export type SkipReason = 'capacity' | 'out_of_office' | 'archived' | 'not_in_team' | 'manager' | 'excluded';

export interface RoutingCandidate {
  ownerId: string;
  /** chosen; eligible (available, under the cap, not picked this time); or why it was skipped. */
  status: 'chosen' | 'eligible' | SkipReason;
  /** Open hand-offs the rep holds now, and their cap (null = none). */
  open: number;
  cap: number | null;
  weight: number;
  outOfOffice?: { from: string; to: string };
}

export interface RoutingTarget {
  type: 'pool' | 'team' | 'department';
  /** Pool or team id; absent for the department (every Sales team). */
  id?: string;
  name: string;
}

export interface RoutingTrace {
  /** The account-owner step, when there was a company owner to try. */
  accountOwner?: RoutingCandidate & { outcome: 'chosen' | 'skipped' | 'chosen_despite' };
  /** The rule that matched; absent = no rule matched (or the account owner was chosen first). */
  rule?: { id: string; name: string };
  target?: RoutingTarget;
  candidates: RoutingCandidate[];
  /** fallback: the fallback owner; least_loaded: no fallback set, the least-loaded Sales owner; owner_unavailable: wait and warn. */
  warning?: 'fallback' | 'least_loaded' | 'owner_unavailable';
  /** The local date availability was judged on (the next working moment). */
  workingDate: string;
}

export interface RoutingDecision {
  ownerId: string;
  /** How the owner was chosen, recorded in the hand-off log: `company_owner`, `round_robin:sales`, `rule:kansai>pool:kansai`, `fallback` … */
  path: string;
  /** Set when IS round-robin was used: the applier increments this counter in the same unit of work. */
  roundRobin?: { pool: Pool; ownerId: string };
  /** The hand-off's decision in full (issue 17). */
  trace?: RoutingTrace;
  /** The seat the applier takes for the rep (handoffKey added by the hand-off). */
  claim?: Omit<RoutingClaim, 'handoffKey'>;
}

export interface RouteOptions {
  /** Owners who may not receive it (the rep a lead is taken from on reassign). */
  exclude?: readonly string[];
  /** Skip the account-owner step (reassign: the rule's target decides). */
  skipAccountOwner?: boolean;
  /**
   * The rep whose seat this very hand-off already holds (a retry after a partial
   * apply): they keep it, so a task already created for them is not orphaned.
   */
  seatOwnerId?: string;
}

export function pickRoundRobin(directory: PortalDirectory, pool: Pool, departments: PortalSettings['departments']): string | undefined {
  const counts = directory.roundRobinCounts[pool] ?? {};
  let best: { id: string; count: number } | undefined;
  for (const owner of activeOwnersIn(directory, pool, departments)) {
    const count = counts[owner.id] ?? 0;
    if (!best || count < best.count || (count === best.count && compareOwnerIds(owner.id, best.id) < 0)) best = { id: owner.id, count };
  }
  return best?.id;
}

function roundRobin(directory: PortalDirectory, pool: Pool, settings: PortalSettings): RoutingDecision | undefined {
  const ownerId = pickRoundRobin(directory, pool, settings.departments);
  return ownerId ? { ownerId, path: `round_robin:${pool}`, roundRobin: { pool, ownerId } } : undefined;
}

/** Round-robin counts of a key; `sales` is the counter tossup has always kept. */
function countsOf(directory: PortalDirectory, poolKey: string): Record<string, number> {
  return directory.routing?.poolCounts[poolKey] ?? (poolKey === 'sales' ? directory.roundRobinCounts.sales : {}) ?? {};
}

const openOf = (directory: PortalDirectory, ownerId: string): number => directory.routing?.openHandoffs[ownerId] ?? 0;

/** Escalation owners and listed managers stay out of team targets unless the admin added them. */
function isManager(ownerId: string, settings: PortalSettings): boolean {
  if (settings.routing.includeOwnerIds.includes(ownerId)) return false;
  return settings.routing.managerOwnerIds.includes(ownerId) || Object.values(settings.escalation.ownersByTeam).includes(ownerId);
}

interface Member {
  ownerId: string;
  weight: number;
  cap: number | null;
  /** Set when the member cannot be a candidate whatever their load. */
  skip?: 'archived' | 'not_in_team' | 'manager';
}

function teamName(directory: PortalDirectory, teamId: string): string {
  for (const o of directory.owners) for (const t of o.teams) if (t.id === teamId) return t.name;
  return teamId;
}

function targetOf(rule: RoutingRule | undefined, settings: PortalSettings, directory: PortalDirectory): { target: RoutingTarget; poolKey: string; members: Member[] } {
  const cap = settings.routing.capacityPerRep;
  const owner = (id: string): Owner | undefined => directory.owners.find((o) => o.id === id);
  if (rule?.target.type === 'pool') {
    const poolId = rule.target.poolId;
    const pool = settings.routing.pools.find((p) => p.id === poolId);
    const members: Member[] = (pool?.members ?? []).map((m) => {
      const o = owner(m.ownerId);
      return { ownerId: m.ownerId, weight: m.weight, cap: m.capacity ?? cap, ...(!o ? { skip: 'not_in_team' as const } : o.archived ? { skip: 'archived' as const } : {}) };
    });
    return { target: { type: 'pool', id: poolId, name: pool?.name ?? poolId }, poolKey: `pool:${poolId}`, members };
  }
  if (rule?.target.type === 'team') {
    const teamId = rule.target.teamId;
    const members: Member[] = directory.owners
      .filter((o) => o.teams.some((t) => t.id === teamId))
      .sort((a, b) => compareOwnerIds(a.id, b.id))
      .map((o) => ({ ownerId: o.id, weight: 1, cap, ...(o.archived ? { skip: 'archived' as const } : isManager(o.id, settings) ? { skip: 'manager' as const } : {}) }));
    return { target: { type: 'team', id: teamId, name: teamName(directory, teamId) }, poolKey: `team:${teamId}`, members };
  }
  const members: Member[] = directory.owners
    .filter((o) => departmentsOfOwner(o, settings.departments).has('sales'))
    .sort((a, b) => compareOwnerIds(a.id, b.id))
    .map((o) => ({ ownerId: o.id, weight: 1, cap, ...(o.archived ? { skip: 'archived' as const } : isManager(o.id, settings) ? { skip: 'manager' as const } : {}) }));
  return { target: { type: 'department', name: '' }, poolKey: 'sales', members };
}

/** A candidate's status before the pick: skipped (with why) or eligible. */
function assess(m: Member, directory: PortalDirectory, settings: PortalSettings, workingDate: string, exclude: readonly string[]): RoutingCandidate {
  const open = openOf(directory, m.ownerId);
  const base = { ownerId: m.ownerId, open, cap: m.cap, weight: m.weight };
  if (m.skip) return { ...base, status: m.skip };
  if (exclude.includes(m.ownerId)) return { ...base, status: 'excluded' };
  if (settings.routing.respectAvailability) {
    const a = availabilityOn(m.ownerId, workingDate, directory.routing?.outOfOffice ?? []);
    if (!a.available) return { ...base, status: 'out_of_office', outOfOffice: { from: a.range.from, to: a.range.to } };
  }
  if (m.cap !== null && open >= m.cap) return { ...base, status: 'capacity' };
  return { ...base, status: 'eligible' };
}

/** Weighted round-robin: the fewest assignments per weight; ties by fewer assignments, then owner id. */
function weightedPick(candidates: RoutingCandidate[], counts: Record<string, number>): RoutingCandidate | undefined {
  let best: { c: RoutingCandidate; share: number; count: number } | undefined;
  for (const c of candidates) {
    if (c.status !== 'eligible') continue;
    const count = counts[c.ownerId] ?? 0;
    const share = count / c.weight;
    if (!best || share < best.share || (share === best.share && (count < best.count || (count === best.count && compareOwnerIds(c.ownerId, best.c.ownerId) < 0)))) {
      best = { c, share, count };
    }
  }
  return best?.c;
}

/** Hand-off routing with its trace (see the header). Undefined only when no active Sales owner exists at all. */
export function routeHandoff(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now?: number, options: RouteOptions = {}): RoutingDecision | undefined {
  const seat = options.seatOwnerId;
  if (seat && directory.owners.some((o) => o.id === seat && !o.archived)) {
    // The seat is counted in the rep's load already: route as if it were not, then keep the rep.
    const open = { ...(directory.routing?.openHandoffs ?? {}) };
    open[seat] = Math.max(0, (open[seat] ?? 0) - 1);
    const dir: PortalDirectory = { ...directory, routing: { openHandoffs: open, poolCounts: directory.routing?.poolCounts ?? {}, outOfOffice: directory.routing?.outOfOffice ?? [] } };
    const again = routeFresh(snapshot, settings, dir, now, options);
    if (again?.ownerId === seat) return again;
    return { ownerId: seat, path: again?.path ?? 'company_owner', ...(again?.trace ? { trace: again.trace } : {}), claim: { ownerId: seat, cap: null } };
  }
  return routeFresh(snapshot, settings, directory, now, options);
}

function routeFresh(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, now: number | undefined, options: RouteOptions): RoutingDecision | undefined {
  const r = settings.routing;
  const exclude = options.exclude ?? [];
  // Without `now` (callers that only ask "could it be routed?") availability is judged on no particular day.
  const workingDate = now === undefined ? '' : workingDateFor(now, settings.sla.calendar.business);
  const judgedBy = now === undefined ? { ...settings, routing: { ...r, respectAvailability: false } } : settings;
  const judge = (m: Member) => assess(m, directory, judgedBy, workingDate, exclude);
  const trace: RoutingTrace = { candidates: [], workingDate };

  const companyOwner = snapshot.company?.properties.hubspot_owner_id ?? undefined;
  if (r.preferCompanyOwner && companyOwner && !options.skipAccountOwner && !exclude.includes(companyOwner)) {
    const inSales = isActiveIn(directory, companyOwner, 'sales', settings.departments);
    const known = directory.owners.find((o) => o.id === companyOwner);
    const member: Member = {
      ownerId: companyOwner,
      weight: 1,
      cap: r.capacityPerRep,
      ...(!known ? { skip: 'not_in_team' as const } : known.archived ? { skip: 'archived' as const } : !inSales ? { skip: 'not_in_team' as const } : {}),
    };
    const c = judge(member);
    if (c.status === 'eligible') {
      trace.accountOwner = { ...c, status: 'chosen', outcome: 'chosen' };
      return { ownerId: companyOwner, path: 'company_owner', trace, claim: { ownerId: companyOwner, cap: r.capacityPerRep } };
    }
    if (inSales && r.whenOwnerUnavailable === 'wait_and_warn' && (c.status === 'capacity' || c.status === 'out_of_office')) {
      trace.accountOwner = { ...c, outcome: 'chosen_despite' };
      trace.warning = 'owner_unavailable';
      return { ownerId: companyOwner, path: 'company_owner', trace, claim: { ownerId: companyOwner, cap: null } };
    }
    trace.accountOwner = { ...c, outcome: 'skipped' };
  }

  const rule = matchRoutingRule(snapshot, settings);
  const { target, poolKey, members } = targetOf(rule, settings, directory);
  if (rule) trace.rule = { id: rule.id, name: rule.name };
  trace.target = target;
  trace.candidates = members.map(judge);
  const pick = weightedPick(trace.candidates, countsOf(directory, poolKey));
  if (pick) {
    pick.status = 'chosen';
    const path = rule ? `rule:${rule.id}>${poolKey}` : 'round_robin:sales';
    return { ownerId: pick.ownerId, path, trace, claim: { ownerId: pick.ownerId, poolKey, cap: pick.cap } };
  }

  // Nobody available in the target: the admin's fallback owner, else the least-loaded Sales owner.
  const fallback = r.fallbackOwnerId;
  if (fallback && directory.owners.some((o) => o.id === fallback && !o.archived) && !exclude.includes(fallback)) {
    trace.warning = 'fallback';
    return { ownerId: fallback, path: 'fallback', trace, claim: { ownerId: fallback, cap: null } };
  }
  let least: { id: string; open: number; count: number } | undefined;
  const counts = countsOf(directory, 'sales');
  for (const o of activeOwnersIn(directory, 'sales', settings.departments)) {
    if (exclude.includes(o.id)) continue;
    const open = openOf(directory, o.id);
    const count = counts[o.id] ?? 0;
    if (!least || open < least.open || (open === least.open && count < least.count)) least = { id: o.id, open, count };
  }
  if (!least) return undefined;
  trace.warning = 'least_loaded';
  return { ownerId: least.id, path: 'fallback', trace, claim: { ownerId: least.id, poolKey: 'sales', cap: null } };
}

/** MQL follow-up: the contact owner if in an IS team, else round-robin over IS (docs/product.md §3). */
export function routeInsideSales(snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, preferredOwnerId?: string): RoutingDecision | undefined {
  if (preferredOwnerId && isActiveIn(directory, preferredOwnerId, 'inside_sales', settings.departments)) {
    return { ownerId: preferredOwnerId, path: 'handoff_by' };
  }
  const contactOwner = snapshot.contact.properties.hubspot_owner_id ?? undefined;
  if (contactOwner && isActiveIn(directory, contactOwner, 'inside_sales', settings.departments)) {
    return { ownerId: contactOwner, path: 'contact_owner' };
  }
  return roundRobin(directory, 'inside_sales', settings);
}
