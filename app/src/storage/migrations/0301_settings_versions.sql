-- Settings history (issue 16): every save of the settings page is a version, with
-- who saved it, when, and a readable summary of what changed against the settings
-- that were live then. A version is a draft until it is published; publishing
-- copies its document into portal_settings, the only document the pipeline reads
-- (app/src/storage/portal-settings-store.ts), so a draft never changes evaluations.
-- Restoring an old version adds a new, published version (restored_from names it).
create table settings_versions (
  portal_id      bigint not null,
  version_no     integer not null,
  settings       jsonb not null,
  summary        jsonb not null,
  created_at     bigint not null,
  created_by     text,
  restored_from  integer,
  published_at   bigint,
  published_by   text,
  primary key (portal_id, version_no)
);
