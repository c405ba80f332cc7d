import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../dev/sandbox/cli/args';
import { parseCondition, parseMembers } from '../../../dev/sandbox/cli/routing-commands';

// `npm run sandbox -- routing-pool / routing-rule` (issue 17): what a person types becomes the settings' shapes.
describe('sandbox CLI: routing commands read what a person types', () => {
  it('pool members as owner[:weight[:cap]]', () => {
    expect(parseMembers('1017:1:1, 1015,1016:2, 1018::3')).toEqual([
      { ownerId: '1017', weight: 1, capacity: 1 },
      { ownerId: '1015', weight: 1, capacity: null },
      { ownerId: '1016', weight: 2, capacity: null },
      { ownerId: '1018', weight: 1, capacity: 3 },
    ]);
    expect(() => parseMembers('山田')).toThrow(/owner\[:weight\[:cap\]\]/);
  });

  it('conditions from property=value, every operator', () => {
    const p = parseArgs(['routing-rule', '--id', 'kansai', 'state=大阪府,京都府', 'numberofemployees=>=500', 'industry=~MACHINE', 'city=大阪市', 'zip=?', 'fax=!', 'annualrevenue=<=100']);
    expect(Object.entries(p.assignments).map(([k, v]) => parseCondition('company', k, v))).toEqual([
      { object: 'company', property: 'state', op: 'in', values: ['大阪府', '京都府'] },
      { object: 'company', property: 'numberofemployees', op: 'gte', values: ['500'] },
      { object: 'company', property: 'industry', op: 'contains', values: ['MACHINE'] },
      { object: 'company', property: 'city', op: 'eq', values: ['大阪市'] },
      { object: 'company', property: 'zip', op: 'known', values: [] },
      { object: 'company', property: 'fax', op: 'unknown', values: [] },
      { object: 'company', property: 'annualrevenue', op: 'lte', values: ['100'] },
    ]);
    expect(parseArgs(['routing-rule', '--first', 'state=大阪府']).flags.first).toBe(true);
  });
});
