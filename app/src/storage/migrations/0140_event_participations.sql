-- Marketing Events participations per contact (issue 19), stored instead of a per-portal
-- map in every process's memory: a snapshot reads the rows of its batch's contacts only,
-- so memory no longer grows with the portal. Filled by the participation refresh
-- (app/src/engine/event-participations.ts), which re-reads an event only when its
-- fingerprint in marketing_event_reads changed.
--
-- One row per participation HubSpot lists (ParticipationBreakdown.id), not per
-- (event, contact): whether HubSpot keeps one row per contact and event or one per state
-- change is UNVERIFIED, and the key survives both answers.
create table event_participations (
  portal_id         bigint not null,
  event_id          text   not null,
  participation_id  text   not null,
  contact_id        bigint not null,
  -- REGISTERED | ATTENDED | CANCELLED | NO_SHOW (the attendance states scoring knows)
  state             text   not null,
  occurred_at       bigint not null,
  primary key (portal_id, event_id, participation_id)
);
-- Snapshots read by contact; privacy deletion and merges act by contact.
create index event_participations_by_contact on event_participations (portal_id, contact_id);

-- One row per Marketing Event whose participations are stored: the fingerprint the
-- events list showed when they were read (participation counters + updatedAt,
-- GET /marketing/v3/marketing-events), when they were read (on the app's clock) and the
-- event's name for the snapshot. An empty fingerprint forces a re-read at the next refresh.
create table marketing_event_reads (
  portal_id    bigint not null,
  event_id     text   not null,
  event_name   text   not null,
  fingerprint  text   not null,
  read_at      bigint not null,
  primary key (portal_id, event_id)
);

-- Per portal, when a process last completed a participation refresh (on the app's clock):
-- the other processes skip their own refresh until it is due, so a portal's events are
-- listed once per refresh period whatever the number of web and worker processes.
create table participation_refreshes (
  portal_id     bigint primary key,
  refreshed_at  bigint not null
);
