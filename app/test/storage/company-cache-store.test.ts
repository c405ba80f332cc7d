import { expect, it } from 'vitest';
import { deleteCompanyCache, invalidateCachedCompanies, loadCachedCompanies, saveCachedCompanies } from '../../src/storage/company-cache-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

const acme = (employees: string) => ({ id: '7001', properties: { name: 'アクメ', numberofemployees: employees, industry: null } });

describeOnBothBackends('company cache store (company_cache)', (t) => {
  it('serves what was saved, per portal, while it is fresh', async () => {
    await saveCachedCompanies(t.db, '1', [acme('800'), { id: '7002', properties: { name: 'B' } }], 100);
    await saveCachedCompanies(t.db, '2', [acme('10')], 100);
    expect(await loadCachedCompanies(t.db, '1', ['7001', '7001', '7003'], 100)).toEqual(new Map([['7001', acme('800')]]));
    expect((await loadCachedCompanies(t.db, '2', ['7001'], 0)).get('7001')?.properties.numberofemployees).toBe('10');
    // Older than the freshness bound: read again.
    expect(await loadCachedCompanies(t.db, '1', ['7001'], 101)).toEqual(new Map());
    expect(await loadCachedCompanies(t.db, '1', [], 0)).toEqual(new Map());
  });

  it('an invalidation hides the row, and a read that started before it cannot put the old value back', async () => {
    await saveCachedCompanies(t.db, '3', [acme('800')], 100);
    await invalidateCachedCompanies(t.db, '3', ['7001', '7009'], 200);
    expect(await loadCachedCompanies(t.db, '3', ['7001', '7009'], 0)).toEqual(new Map());
    // Started at 150, before the webhook was processed at 200: its value may predate the change.
    await saveCachedCompanies(t.db, '3', [acme('800')], 150);
    expect(await loadCachedCompanies(t.db, '3', ['7001'], 0)).toEqual(new Map());
    // A read that started after the invalidation is stored.
    await saveCachedCompanies(t.db, '3', [acme('1200')], 201);
    expect((await loadCachedCompanies(t.db, '3', ['7001'], 0)).get('7001')?.properties.numberofemployees).toBe('1200');
  });

  it('writes more rows than one statement holds; uninstall deletes the portal\'s rows only', async () => {
    const many = Array.from({ length: 1_201 }, (_, i) => ({ id: String(10_000 + i), properties: { name: `c${i}` } }));
    await saveCachedCompanies(t.db, '4', many, 1);
    await saveCachedCompanies(t.db, '5', [acme('5')], 1);
    expect((await loadCachedCompanies(t.db, '4', many.map((c) => c.id), 0)).size).toBe(1_201);
    await deleteCompanyCache(t.db, '4');
    expect((await loadCachedCompanies(t.db, '4', many.map((c) => c.id), 0)).size).toBe(0);
    expect((await loadCachedCompanies(t.db, '5', ['7001'], 0)).size).toBe(1);
  });
});
