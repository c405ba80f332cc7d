import { expect, it } from 'vitest';
import {
  deleteSideEffectsOfContact,
  findOwnHubSpotIds,
  loadSideEffects,
  markSideEffectDone,
  markSideEffectsFailed,
  reserveSideEffects,
  retryFailedSideEffects,
} from '../../src/storage/side-effect-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

const task = (key: string, contactId = '11') => ({ key, kind: 'task', request: { contactId, marker: `m-${key}` } });

describeOnBothBackends('side-effect store (side_effects)', (t) => {
  it('reserves a key once and reports which keys this call reserved', async () => {
    expect(await reserveSideEffects(t.db, '1', [task('k1'), task('k2')], 100)).toEqual(new Set(['k1', 'k2']));
    expect(await reserveSideEffects(t.db, '1', [task('k2'), task('k3')], 200)).toEqual(new Set(['k3']));
    expect(await reserveSideEffects(t.db, '1', [], 200)).toEqual(new Set());
    const rows = await loadSideEffects(t.db, '1', ['k1', 'k2', 'k3', 'unknown']);
    expect([...rows.keys()].sort()).toEqual(['k1', 'k2', 'k3']);
    expect(rows.get('k2')).toEqual({ effectKey: 'k2', state: 'pending', hubspotId: null, createdAt: 100 });
  });

  it('pending → done with the HubSpot id; pending → failed → pending again before a retry', async () => {
    await reserveSideEffects(t.db, '2', [task('d'), task('f')], 100);
    await markSideEffectDone(t.db, '2', 'd', 'hs-1', 150);
    await markSideEffectsFailed(t.db, '2', ['d', 'f']); // only pending rows fail
    let rows = await loadSideEffects(t.db, '2', ['d', 'f']);
    expect(rows.get('d')).toMatchObject({ state: 'done', hubspotId: 'hs-1' });
    expect(rows.get('f')).toMatchObject({ state: 'failed' });
    await retryFailedSideEffects(t.db, '2', ['d', 'f'], 300); // only failed rows go back
    rows = await loadSideEffects(t.db, '2', ['d', 'f']);
    expect(rows.get('d')).toMatchObject({ state: 'done', createdAt: 100 });
    expect(rows.get('f')).toMatchObject({ state: 'pending', createdAt: 300 });
    const { rows: completed } = await t.db.query<{ completed_at: number }>(`select completed_at from side_effects where portal_id = 2 and effect_key = 'd'`);
    expect(completed[0]!.completed_at).toBe(150);
  });

  it('recognises objects we created, and forgets a contact on privacy deletion', async () => {
    await reserveSideEffects(t.db, '3', [task('a', '31'), task('b', '32')], 1);
    await markSideEffectDone(t.db, '3', 'a', 'hs-a', 2);
    await markSideEffectDone(t.db, '3', 'b', 'hs-b', 2);
    expect(await findOwnHubSpotIds(t.db, '3', ['hs-a', 'hs-x'])).toEqual(new Set(['hs-a']));
    expect(await findOwnHubSpotIds(t.db, '4', ['hs-a'])).toEqual(new Set());
    expect(await findOwnHubSpotIds(t.db, '3', [])).toEqual(new Set());
    await deleteSideEffectsOfContact(t.db, '3', '31');
    expect([...(await loadSideEffects(t.db, '3', ['a', 'b'])).keys()]).toEqual(['b']);
  });
});
