import { validationError } from './hubspot-errors';
import { QUERY_PROPERTIES } from './default-properties';
import { objectTypeBySingular, type ObjectType } from './object-types';
import type { CrmStore } from './crm-store';
import type { PortalState, StoredObject } from './portal-state';

/**
 * CRM search (`POST /crm/v3/objects/{type}/search`) with HubSpot's limits:
 * at most 200 results per page, results beyond the first 10,000 unreachable,
 * 5 filterGroups, 10 filters per group, 25 filters in all.
 * https://developers.hubspot.com/docs/guides/api/crm/search#limitations
 * https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-for-the-crm-search-api
 */
export const SEARCH_MAX_PAGE_SIZE = 200;
export const SEARCH_MAX_RESULTS = 10_000;
const MAX_FILTER_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 10;
const MAX_FILTERS = 25;

export interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: unknown;
  values?: unknown[];
  highValue?: unknown;
}

export interface SearchRequest {
  filterGroups?: { filters?: SearchFilter[] }[];
  sorts?: (string | { propertyName: string; direction?: string })[];
  query?: string;
  properties?: string[];
  limit?: number;
  after?: string | number;
}

const OPERATORS = ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'];

/** Numbers, datetimes (ISO or ms) compare as numbers; everything else case-insensitively as text. */
function comparable(v: string, numeric: boolean): number | string {
  if (numeric) {
    if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return ms;
  }
  return v.toLowerCase();
}

export function runSearch(store: CrmStore, portal: PortalState, type: ObjectType, req: SearchRequest): Record<string, unknown> {
  const limit = req.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_MAX_PAGE_SIZE) {
    throw validationError(`limit must be an integer between 0 and ${SEARCH_MAX_PAGE_SIZE} (got ${String(req.limit)}); page with \`after\` instead.`);
  }
  const offset = req.after === undefined || req.after === '' ? 0 : Number(req.after);
  if (!Number.isInteger(offset) || offset < 0) throw validationError(`after must be the paging.next.after value of the previous page (got ${String(req.after)}).`);
  if (offset >= SEARCH_MAX_RESULTS) {
    throw validationError(`Search results are limited to ${SEARCH_MAX_RESULTS} per query; narrow the filters (e.g. by hs_object_id or a date range) instead of paging past it.`);
  }
  const groups = req.filterGroups ?? [];
  const total = groups.reduce((n, g) => n + (g.filters?.length ?? 0), 0);
  if (groups.length > MAX_FILTER_GROUPS || groups.some((g) => (g.filters?.length ?? 0) > MAX_FILTERS_PER_GROUP) || total > MAX_FILTERS) {
    throw validationError(`Too many filters: at most ${MAX_FILTER_GROUPS} filterGroups, ${MAX_FILTERS_PER_GROUP} filters per group and ${MAX_FILTERS} filters in total.`);
  }
  for (const g of groups) {
    for (const f of g.filters ?? []) {
      if (!OPERATORS.includes(f.operator)) throw validationError(`Unknown filter operator ${f.operator}; use one of ${OPERATORS.join(', ')}.`);
    }
  }

  const defs = portal.properties[type];
  const isNumeric = (name: string) => {
    const t = defs[name]?.type;
    return t === 'number' || t === 'datetime' || t === 'date' || name === 'hs_object_id';
  };

  const matches = (obj: StoredObject, f: SearchFilter): boolean => {
    if (f.propertyName.startsWith('associations.')) {
      const other = objectTypeBySingular(f.propertyName.slice('associations.'.length));
      if (!other) return false;
      const ids = store.associationsOf(portal, type, obj.id, other).map((a) => a.toId);
      const wanted = f.values ? f.values.map(String) : [String(f.value)];
      const hit = wanted.some((w) => ids.includes(w));
      return f.operator === 'NEQ' || f.operator === 'NOT_IN' ? !hit : hit;
    }
    const raw = f.propertyName === 'hs_object_id' ? obj.id : obj.properties[f.propertyName];
    if (f.operator === 'HAS_PROPERTY') return raw !== undefined && raw !== '';
    if (f.operator === 'NOT_HAS_PROPERTY') return raw === undefined || raw === '';
    const num = isNumeric(f.propertyName);
    if (f.operator === 'IN' || f.operator === 'NOT_IN') {
      const set = (f.values ?? []).map((v) => comparable(String(v), num));
      const hit = raw !== undefined && set.includes(comparable(raw, num));
      return f.operator === 'IN' ? hit : !hit;
    }
    if (f.operator === 'CONTAINS_TOKEN' || f.operator === 'NOT_CONTAINS_TOKEN') {
      const token = String(f.value ?? '').toLowerCase().replace(/\*/g, '');
      const hit = raw !== undefined && raw.toLowerCase().includes(token);
      return f.operator === 'CONTAINS_TOKEN' ? hit : !hit;
    }
    if (raw === undefined) return f.operator === 'NEQ';
    const a = comparable(raw, num);
    const b = comparable(String(f.value ?? ''), num);
    switch (f.operator) {
      case 'EQ':
        return a === b;
      case 'NEQ':
        return a !== b;
      case 'LT':
        return a < b;
      case 'LTE':
        return a <= b;
      case 'GT':
        return a > b;
      case 'GTE':
        return a >= b;
      case 'BETWEEN':
        return a >= b && a <= comparable(String(f.highValue ?? ''), num);
      default:
        return false;
    }
  };

  const query = req.query?.trim().toLowerCase();
  let hits = Object.values(portal.objects[type]).filter(
    (o) =>
      !o.archived &&
      (groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => matches(o, f)))) &&
      (!query || QUERY_PROPERTIES[type].some((p) => o.properties[p]?.toLowerCase().includes(query))),
  );

  const sorts = (req.sorts ?? []).map((s) =>
    typeof s === 'string'
      ? { propertyName: s.replace(/^-/, ''), desc: s.startsWith('-') }
      : { propertyName: s.propertyName, desc: (s.direction ?? 'ASCENDING').toUpperCase() === 'DESCENDING' },
  );
  hits = hits.sort((x, y) => {
    for (const s of sorts) {
      const num = isNumeric(s.propertyName);
      const xv = s.propertyName === 'hs_object_id' ? x.id : x.properties[s.propertyName];
      const yv = s.propertyName === 'hs_object_id' ? y.id : y.properties[s.propertyName];
      if (xv === yv) continue;
      // Records without a value sort last, as in HubSpot.
      if (xv === undefined) return 1;
      if (yv === undefined) return -1;
      const a = comparable(xv, num);
      const b = comparable(yv, num);
      const c = a < b ? -1 : a > b ? 1 : 0;
      if (c !== 0) return s.desc ? -c : c;
    }
    return Number(x.id) - Number(y.id);
  });

  const reachable = Math.min(hits.length, SEARCH_MAX_RESULTS);
  const page = hits.slice(offset, Math.min(offset + limit, reachable));
  const nextOffset = offset + page.length;
  const out: Record<string, unknown> = {
    total: hits.length,
    results: page.map((o) => store.toPublic(portal, type, o, { properties: req.properties })),
  };
  if (page.length > 0 && nextOffset < reachable) out.paging = { next: { after: String(nextOffset) } };
  return out;
}
