import { beforeEach, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-schema';
import { createImpactRunStore, EMPTY_IMPACT_PROGRESS, IMPACT_RUNS_KEPT, type ImpactRunInputs } from '../../src/storage/job-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

const inputs = (fingerprint = 'aaaaaaaa'): ImpactRunInputs => ({
  draft: DEFAULT_SETTINGS,
  published: DEFAULT_SETTINGS,
  publishedVersion: 3,
  publishedToken: 1_700,
  draftFingerprint: fingerprint,
  requestedBy: '9999',
  limit: 1_000,
});

describeOnBothBackends('impact run store (jobs, kind impact_run)', (t) => {
  beforeEach(async () => {
    for (const table of ['jobs', 'installs']) await t.db.query(`delete from ${table}`);
    await t.db.query(`insert into installs (portal_id, status, installed_at, updated_at) values (1, 'active', 0, 0), (2, 'active', 0, 0), (3, 'uninstalled', 0, 0)`);
  });

  it('one run per portal at a time: a second start answers with the one in progress; after it ends a new one starts', async () => {
    const store = createImpactRunStore(t.db);
    const first = await store.start('1', inputs('aaaaaaaa'), 1_000);
    expect(first).toMatchObject({ created: true, run: { portalId: '1', status: 'pending', inputs: { draftFingerprint: 'aaaaaaaa', publishedVersion: 3 }, progress: EMPTY_IMPACT_PROGRESS } });
    const again = await store.start('1', inputs('bbbbbbbb'), 1_001);
    expect(again).toMatchObject({ created: false, run: { id: first.run.id, inputs: { draftFingerprint: 'aaaaaaaa' } } });
    // Another portal is independent.
    expect((await store.start('2', inputs(), 1_002)).created).toBe(true);

    const claimed = (await store.claim(2_000, 'w1', 100))!;
    expect(claimed).toMatchObject({ id: first.run.id, status: 'running', attempts: 1 });
    expect((await store.start('1', inputs('cccccccc'), 2_001)).created).toBe(false); // running counts too
    expect(await store.finish(claimed.id, 'w1', { ...EMPTY_IMPACT_PROGRESS, phase: 'finished', evaluated: 5 }, 2_100)).toBe(true);
    const next = await store.start('1', inputs('dddddddd'), 2_200);
    expect(next).toMatchObject({ created: true, run: { inputs: { draftFingerprint: 'dddddddd' } } });
    expect((await store.latest('1'))!.id).toBe(next.run.id);
    expect(await store.get('1', first.run.id)).toMatchObject({ status: 'done', progress: { evaluated: 5, phase: 'finished' } });
    expect(await store.get('2', first.run.id)).toBeNull(); // another portal's run is not found
    expect(await store.get('1', 'latest')).toBeNull();
  });

  it('progress is saved with the lease renewed; a cancel is seen by the next save; a lost lease is claimed again with the progress kept', async () => {
    const store = createImpactRunStore(t.db);
    const { run } = await store.start('1', inputs(), 1_000);
    const claimed = (await store.claim(1_000, 'w1', 100))!;
    expect(await store.claim(1_050, 'w2', 100)).toBeUndefined();
    const progress = { ...EMPTY_IMPACT_PROGRESS, phase: 'evaluating' as const, cursor: '250', total: 500, evaluated: 200, pagesDone: 2, handoffs: 3, handoffTasksByRep: [{ ownerId: '301', count: 3 }] };
    expect(await store.save(claimed.id, 'w1', progress, 1_090, 100)).toBe(true);
    expect(await store.claim(1_150, 'w2', 100)).toBeUndefined(); // renewed until 1_190
    expect(await store.save(claimed.id, 'w2', progress, 1_100, 100)).toBe(false); // not w2's
    // w1 dies: after the lease, w2 resumes from the saved cursor.
    const resumed = (await store.claim(1_191, 'w2', 100))!;
    expect(resumed).toMatchObject({ id: run.id, attempts: 2, progress: { cursor: '250', evaluated: 200, handoffTasksByRep: [{ ownerId: '301', count: 3 }] } });
    expect(await store.save(resumed.id, 'w1', progress, 1_200, 100)).toBe(false); // the old holder is out

    const cancelled = await store.cancel('1', run.id, 1_300);
    expect(cancelled).toMatchObject({ status: 'cancelled', progress: { evaluated: 200, finishedAt: 1_300 } });
    expect(await store.save(resumed.id, 'w2', { ...progress, evaluated: 300 }, 1_310, 100)).toBe(false);
    expect(await store.finish(resumed.id, 'w2', progress, 1_320)).toBe(false);
    expect(await store.cancel('1', run.id, 1_400)).toMatchObject({ status: 'cancelled', updatedAt: 1_300 }); // idempotent
    expect(await store.cancel('2', run.id, 1_400)).toBeNull();
    expect(await store.claim(5_000, 'w3', 100)).toBeUndefined();
  });

  it('a failed run keeps its bilingual reason and its counts; uninstalled portals are not claimed; old finished runs are pruned', async () => {
    const store = createImpactRunStore(t.db);
    await store.start('3', inputs(), 500);
    const { run } = await store.start('1', inputs(), 1_000);
    const claimed = (await store.claim(1_000, 'w1', 100))!;
    expect(claimed.portalId).toBe('1');
    await store.fail(claimed.id, 'w1', { ...EMPTY_IMPACT_PROGRESS, evaluated: 100 }, { ja: '読み取れませんでした', en: 'could not read' }, 1_010);
    expect(await store.get('1', run.id)).toMatchObject({ status: 'failed', error: { ja: '読み取れませんでした', en: 'could not read' }, progress: { evaluated: 100 } });
    expect(await store.claim(2_000, 'w1', 100)).toBeUndefined(); // portal 3 is uninstalled

    for (let i = 0; i < IMPACT_RUNS_KEPT + 3; i++) {
      const s = await store.start('1', inputs(), 2_000 + i);
      await store.cancel('1', s.run.id, 2_000 + i);
    }
    await store.start('1', inputs(), 3_000);
    const { rows } = await t.db.query<{ n: string | number }>(`select count(*) as n from jobs where kind = 'impact_run' and portal_id = 1`);
    expect(Number(rows[0]!.n)).toBe(IMPACT_RUNS_KEPT);
  });
});
