-- Webhook pipeline (issue 4). Times are epoch ms from the backend's injectable clock.

-- Which process drains a portal's inbox right now. A lease, not a session lock, so
-- it works the same on PGlite and on a server shared by several processes, and a
-- crashed holder is replaced once locked_until passes.
create table inbox_portal_leases (
  portal_id     bigint primary key,
  locked_by     text not null,
  locked_until  bigint not null,
  updated_at    bigint not null
);

-- Property values the app itself last wrote, so the webhook HubSpot sends back for
-- our own write is recognised and skipped before any read (no loop, no wasted call).
create table pipeline_written_values (
  portal_id      bigint not null,
  object_id      bigint not null,
  property_name  text not null,
  value          text not null,
  written_at     bigint not null,
  primary key (portal_id, object_id, property_name)
);

-- Per-portal rolling window of HubSpot API calls shared by every backend process
-- (database rate budget): one row per call, pruned as the window rolls.
create table hubspot_rate_window (
  portal_id  bigint not null,
  lane       text not null,
  at         bigint not null
);
create index hubspot_rate_window_portal on hubspot_rate_window (portal_id, lane, at);

-- A 429 seen by one process pauses the portal's lane for every process.
create table hubspot_rate_blocks (
  portal_id  bigint not null,
  lane       text not null,
  until      bigint not null,
  primary key (portal_id, lane)
);

create index webhook_inbox_object on webhook_inbox (portal_id, object_id);
