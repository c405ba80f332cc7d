-- Primary companies read for attribute scoring and routing (issue 19), shared by every
-- backend process of the database so a company is read once per portal, not once per
-- batch or per process. A company webhook (numberofemployees, industry,
-- hubspot_owner_id) invalidates its row: `properties` null and `invalidated_at` set, so
-- a read that started before the invalidation cannot store its older value afterwards.
-- Rows older than the cache's time-to-live are read again (app/src/engine/company-cache.ts).
create table company_cache (
  portal_id       bigint not null,
  company_id      bigint not null,
  properties      jsonb,
  read_at         bigint not null,
  invalidated_at  bigint,
  primary key (portal_id, company_id)
);
