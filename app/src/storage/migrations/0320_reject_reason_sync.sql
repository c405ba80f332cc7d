-- Reject-reason options sync (issue 14): the contact property tossup_reject_reason_code
-- must offer the admin's reason codes as options (HubSpot refuses any other value), so
-- the app syncs the options at publish, install and start-up. One row per portal: the
-- last attempt, its outcome, and the codes HubSpot is known to accept, which decide
-- whether a reject writes its own code or `other` (app/src/storage/reject-reason-sync-store.ts).
create table reject_reason_sync (
  portal_id       bigint primary key,
  status          text not null,
  accepted_codes  jsonb not null,
  published_codes jsonb not null,
  error           text,
  attempted_at    bigint not null,
  synced_at       bigint
);
