import { describe, expect, it } from 'vitest';
import { departmentOfTeam, teamDepartments } from '../../src/domain/departments';
import { pickRoundRobin, routeHandoff, routeInsideSales } from '../../src/domain/routing';
import { directory, settings, snapshot } from './fixtures';

const depts = settings().departments;

describe('departments from team names (first match wins: IS → Marketing → Sales)', () => {
  it.each([
    ['インサイドセールス部', 'inside_sales'],
    ['Inside Sales Japan', 'inside_sales'],
    ['SDR チーム', 'inside_sales'],
    ['東日本BDR', 'inside_sales'],
    ['デジタルマーケティング部', 'marketing'],
    ['Field Marketing', 'marketing'],
    ['フィールドセールス1課', 'sales'],
    ['第二営業部', 'sales'],
    ['Enterprise Sales', 'sales'],
    ['AE Team', 'sales'],
    ['This is Support', null], // the English word "is" is not IS
    ['Salesforce 管理者', null], // "sales" is a whole word only
    ['AEON 担当', null],
    ['カスタマーサクセス', null],
  ])('%s → %s', (name, expected) => {
    expect(departmentOfTeam({ id: '1', name }, depts)).toBe(expected);
  });

  it('an explicit team-id map wins over the name', () => {
    const mapped = { ...depts, teamMap: { '1': 'sales' as const, '2': 'none' as const } };
    expect(departmentOfTeam({ id: '1', name: 'インサイドセールス部' }, mapped)).toBe('sales');
    expect(departmentOfTeam({ id: '2', name: '営業部' }, mapped)).toBeNull();
  });

  it('lists the portal teams with their departments for the settings page', () => {
    expect(teamDepartments(directory(), depts)).toEqual([
      { id: '10', name: 'インサイドセールス部', department: 'inside_sales' },
      { id: '20', name: 'フィールドセールス1課', department: 'sales' },
      { id: '30', name: 'マーケティング部', department: 'marketing' },
    ]);
  });
});

describe('hand-off routing', () => {
  it('the company owner when they are in a Sales team', () => {
    const s = snapshot({}, { company: { id: '1', properties: { hubspot_owner_id: '202' } } });
    expect(routeHandoff(s, settings(), directory())).toMatchObject({ ownerId: '202', path: 'company_owner', claim: { ownerId: '202', cap: null } });
  });

  it('round-robin when the company owner is IS, archived or missing', () => {
    for (const owner of ['101', '203', undefined]) {
      const s = snapshot({}, { company: { id: '1', properties: { hubspot_owner_id: owner } } });
      expect(routeHandoff(s, settings(), directory())).toMatchObject({ ownerId: '201', path: 'round_robin:sales', claim: { ownerId: '201', poolKey: 'sales', cap: null } });
    }
  });

  it('round-robin is fair (fewest assignments, ties by id) and never picks an archived owner', () => {
    const dir = directory({ roundRobinCounts: { inside_sales: {}, sales: { '203': -5 } } });
    const picks: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = pickRoundRobin(dir, 'sales', depts)!;
      picks.push(id);
      dir.roundRobinCounts.sales[id] = (dir.roundRobinCounts.sales[id] ?? 0) + 1;
    }
    expect(picks).toEqual(['201', '202', '201', '202', '201', '202']);
    // A newcomer with no assignments is picked until they catch up.
    dir.owners = [...dir.owners, { id: '204', archived: false, teams: [{ id: '20', name: 'フィールドセールス1課' }] }];
    expect(pickRoundRobin(dir, 'sales', depts)).toBe('204');
  });

  it('owner ids compare as numbers', () => {
    const dir = directory({ owners: [{ id: '1000', archived: false, teams: [{ id: '20', name: '営業部' }] }, { id: '999', archived: false, teams: [{ id: '20', name: '営業部' }] }] });
    expect(pickRoundRobin(dir, 'sales', depts)).toBe('999');
  });

  it('MQL follow-up: the contact owner if in IS, else IS round-robin', () => {
    expect(routeInsideSales(snapshot({ hubspot_owner_id: '102' }), settings(), directory())).toEqual({ ownerId: '102', path: 'contact_owner' });
    expect(routeInsideSales(snapshot({ hubspot_owner_id: '301' }), settings(), directory())).toMatchObject({ ownerId: '101', path: 'round_robin:inside_sales' });
  });
});
