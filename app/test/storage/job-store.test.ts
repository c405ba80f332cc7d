import { beforeEach, expect, it } from 'vitest';
import { claimReconcileJob, completeReconcileJob, ensureReconcileJobs, retryReconcileJob } from '../../src/storage/job-store';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';

describeOnBothBackends('job store (jobs)', (t) => {
  beforeEach(async () => {
    for (const table of ['jobs', 'installs']) await t.db.query(`delete from ${table}`);
    await t.db.query(`insert into installs (portal_id, status, installed_at, updated_at) values (1, 'active', 0, 0), (2, 'uninstalled', 0, 0)`);
  });

  it('one reconcile job per active install, claimed by one holder until its lease expires', async () => {
    await ensureReconcileJobs(t.db, 1_000, 500);
    await ensureReconcileJobs(t.db, 2_000, 1_500);
    const { rows } = await t.db.query<{ portal_id: number; job_key: string }>('select portal_id, job_key from jobs');
    expect(rows).toEqual([{ portal_id: 1, job_key: 'reconcile:1' }]);

    const job = await claimReconcileJob(t.db, 1_000, 'a', 100);
    expect(job).toEqual({ id: expect.any(Number), portalId: '1', sinceMs: 500 });
    expect(await claimReconcileJob(t.db, 1_050, 'b', 100)).toBeUndefined();
    expect(await claimReconcileJob(t.db, 1_101, 'b', 100)).toMatchObject({ portalId: '1' });
  });

  it('completion moves the window and the next run; only the holder may complete', async () => {
    await ensureReconcileJobs(t.db, 1_000, 500);
    const job = (await claimReconcileJob(t.db, 1_000, 'a', 100))!;
    await completeReconcileJob(t.db, job, 'b', 9_000, 1_000, 1_010);
    expect(await claimReconcileJob(t.db, 1_050, 'c', 100)).toBeUndefined(); // still a's
    await completeReconcileJob(t.db, job, 'a', 9_000, 1_000, 1_010);
    expect(await claimReconcileJob(t.db, 8_999, 'c', 100)).toBeUndefined();
    expect(await claimReconcileJob(t.db, 9_000, 'c', 100)).toMatchObject({ sinceMs: 1_000 });
    const { rows } = await t.db.query<{ attempts: number; locked_by: string }>('select attempts, locked_by from jobs');
    expect(rows).toEqual([{ attempts: 1, locked_by: 'c' }]);
  });

  it('a failed run is retried later with its window kept and its error noted', async () => {
    await ensureReconcileJobs(t.db, 1_000, 500);
    const job = (await claimReconcileJob(t.db, 1_000, 'a', 100))!;
    await retryReconcileJob(t.db, job, 'a', 2_000, 'x'.repeat(3_000), 1_010);
    const { rows } = await t.db.query<{ status: string; last_error: string; locked_by: string | null }>('select status, last_error, locked_by from jobs');
    expect(rows[0]).toEqual({ status: 'pending', last_error: 'x'.repeat(2_000), locked_by: null });
    expect(await claimReconcileJob(t.db, 2_000, 'b', 100)).toMatchObject({ sinceMs: 500 });
  });

  it('a job of an install that is no longer active is not claimed', async () => {
    await ensureReconcileJobs(t.db, 1_000, 500);
    await t.db.query(`update installs set status = 'disconnected' where portal_id = 1`);
    expect(await claimReconcileJob(t.db, 1_000, 'a', 100)).toBeUndefined();
  });
});
