import { describe, expect, it } from 'vitest';
import { boundForWindow, describeTerms, portalLowerBound, sumTerms } from '../../../dev/bench/lower-bound';
import { createEmptyPortal } from '../../../dev/sandbox/portal-state';

/** The bench's lower bound (app/dev/bench/README.md, "Lower bound on API calls"): each term batched at HubSpot's limits. */
describe('C_min terms', () => {
  const portal = createEmptyPortal(1, 'p', 0);
  portal.owners = Array.from({ length: 501 }, (_, i) => ({ id: String(i) }) as (typeof portal.owners)[number]);
  // Contact 2 is handed off and awaits its deal (two deals associated); the rest are new leads.
  portal.associations['contacts:2'] = { 'deals:90': [], 'deals:91': [] };
  const initial = new Map<string, Record<string, string>>();
  for (let i = 1; i <= 250; i++) initial.set(String(i), { associatedcompanyid: i <= 150 ? String(1000 + (i % 120)) : '' });
  initial.set('2', { associatedcompanyid: '1002', tossup_stage: 'sql' });
  // Three hand-off candidates (a BANT item set): history reads, 50 per batch.
  for (const id of ['10', '11', '12']) initial.set(id, { ...initial.get(id)!, tossup_bant_budget: 'true' });

  it('counts contacts, history, distinct companies, deal associations, writes and the directory once', () => {
    const terms = portalLowerBound(portal, initial, { U: 201, T: 3, notes: 1, handoffs: ['10', '2'] });
    expect(terms).toEqual({
      contactReads: 3,
      historyReads: 1,
      companyReads: 2,
      dealReads: 2,
      contactUpdates: 3,
      taskCreates: 1,
      noteCreates: 1,
      directoryReads: 4,
    });
    expect(sumTerms(terms)).toBe(17);
    expect(describeTerms(terms)).toMatch(/^contacts 3 \+ history 1 \+ companies 2 \+ deals 2 \+ updates 3 \+ tasks 1 \+ notes 1 \+ directory 4$/);
  });

  it('holds the measured window to the directory reads it contains', () => {
    const terms = portalLowerBound(portal, initial, { U: 0, T: 0, notes: 0, handoffs: [] });
    const cMin = sumTerms(terms);
    expect(boundForWindow(cMin, terms, {})).toBe(cMin - 4);
    expect(boundForWindow(cMin, terms, { 'GET /crm/v3/owners': 2, 'GET /account-info/v3/details': 1 })).toBe(cMin - 1);
    expect(boundForWindow(cMin, terms, { 'GET /crm/v3/owners': 9 })).toBe(cMin);
  });
});
