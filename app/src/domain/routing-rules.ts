/**
 * Routing rules (issue 17): ordered, first match wins, each a list of conditions on
 * contact and company properties that must all hold (`match: 'all'`, the default) or
 * of which one is enough (`match: 'any'`). Values are HubSpot's strings;
 * text compares case-insensitively after trimming (都道府県 and industry values are
 * typed by people), numbers compare as numbers. A company condition on a contact
 * without a primary company does not hold.
 */
import type { PortalSettings, RoutingCondition, RoutingRule } from '@tossup/shared/settings-schema';
import type { ContactSnapshot } from './types';

const norm = (v: string): string => v.trim().normalize('NFKC').toLowerCase();

function valueOf(snapshot: ContactSnapshot, c: RoutingCondition): string | undefined {
  const props = c.object === 'contact' ? snapshot.contact.properties : snapshot.company?.properties;
  const v = props?.[c.property];
  return v === null || v === undefined || v.trim() === '' ? undefined : v;
}

export function conditionHolds(snapshot: ContactSnapshot, c: RoutingCondition): boolean {
  const v = valueOf(snapshot, c);
  if (c.op === 'unknown') return v === undefined;
  if (v === undefined) return false;
  switch (c.op) {
    case 'known':
      return true;
    case 'eq':
      return c.values[0] !== undefined && norm(v) === norm(c.values[0]);
    case 'in': {
      // Multi-select properties hold `a;b;c`: any selected value counts.
      const have = v.split(';').map(norm);
      return c.values.some((x) => have.includes(norm(x)));
    }
    case 'contains':
      return c.values.some((x) => norm(v).includes(norm(x)));
    case 'gte':
    case 'lte': {
      const n = Number(v);
      const bound = Number(c.values[0]);
      if (!Number.isFinite(n) || !Number.isFinite(bound)) return false;
      return c.op === 'gte' ? n >= bound : n <= bound;
    }
  }
}

/** Whether a rule matches: all of its conditions (AND, the default) or any of them (OR); no condition = every lead. */
export function ruleMatches(snapshot: ContactSnapshot, rule: RoutingRule): boolean {
  if (rule.conditions.length === 0) return true;
  const holds = (c: RoutingCondition) => conditionHolds(snapshot, c);
  return rule.match === 'any' ? rule.conditions.some(holds) : rule.conditions.every(holds);
}

/** The first enabled rule that matches, or undefined. */
export function matchRoutingRule(snapshot: ContactSnapshot, settings: Pick<PortalSettings, 'routing'>): RoutingRule | undefined {
  return settings.routing.rules.find((r) => r.enabled && ruleMatches(snapshot, r));
}

/** Properties the rules read, per object, so the snapshot builder fetches them. */
export function routingReadProperties(settings: Pick<PortalSettings, 'routing'>): { contact: string[]; company: string[] } {
  const contact = new Set<string>();
  const company = new Set<string>();
  for (const r of settings.routing.rules) for (const c of r.conditions) (c.object === 'contact' ? contact : company).add(c.property);
  return { contact: [...contact], company: [...company] };
}
