-- Routing for large sales organisations (issue 17).
--
-- routing_assignments: one seat per hand-off (contact, cycle key) with the rep who
-- holds it; open until the hand-off is over (rejected, recycled, its deal closed)
-- or moved to another rep (reassign). routing_owner_load counts each rep's open
-- seats; the claim raises it with one conditional upsert, so concurrent hand-offs
-- never take a rep past their cap (the row lock serialises them, and the WHERE is
-- re-checked on the locked row). routing_out_of_office: reps' away days, local
-- dates in the portal's business calendar, set by an admin or by the rep.
create table routing_assignments (
  portal_id    bigint not null,
  contact_id   bigint not null,
  handoff_key  text not null,
  owner_id     text not null,
  pool_key     text,
  assigned_at  bigint not null,
  closed_at    bigint,
  primary key (portal_id, contact_id, handoff_key)
);
create index routing_assignments_open on routing_assignments (portal_id, contact_id) where closed_at is null;

create table routing_owner_load (
  portal_id      bigint not null,
  owner_id       text not null,
  open_handoffs  integer not null default 0,
  updated_at     bigint not null,
  primary key (portal_id, owner_id)
);

create table routing_out_of_office (
  portal_id   bigint not null,
  id          bigserial,
  owner_id    text not null,
  from_date   text not null,
  to_date     text not null,
  note        text,
  created_by  text,
  created_at  bigint not null,
  primary key (portal_id, id)
);
create index routing_out_of_office_owner on routing_out_of_office (portal_id, owner_id);
