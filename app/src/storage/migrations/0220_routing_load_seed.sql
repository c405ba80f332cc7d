-- Routing load seeded from hand-offs made before tossup counted them (issue 17).
--
-- One row per portal once its load was seeded: the first capped routing claim of a
-- portal reads HubSpot's open hand-offs (tossup_stage sql/accepted) and gives each a
-- seat (handoff_key 'seed') unless it already has one. The row makes that happen
-- once, across processes (the insert wins or loses in the same transaction).
create table routing_load_seeds (
  portal_id  bigint primary key,
  seeded_at  bigint not null,
  seats      integer not null
);
