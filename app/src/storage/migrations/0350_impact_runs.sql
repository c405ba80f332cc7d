-- The full-portal impact run of a settings draft (issue 16) is a `jobs` row of kind
-- `impact_run`: its inputs and progress live in `payload` (app/src/storage/job-store.ts),
-- so a restart resumes from the saved cursor and every web process answers progress.
-- An admin may stop a run: `cancelled` joins the statuses.
alter table jobs drop constraint jobs_status_check;
alter table jobs add constraint jobs_status_check check (status in ('pending', 'running', 'done', 'failed', 'parked', 'cancelled'));
-- One run per portal at a time: a second start finds this index's conflict and answers with the running one.
create unique index jobs_one_active_impact_run on jobs (portal_id) where kind = 'impact_run' and status in ('pending', 'running');
-- The page reads a portal's latest run.
create index jobs_impact_runs_by_portal on jobs (portal_id, id) where kind = 'impact_run';
