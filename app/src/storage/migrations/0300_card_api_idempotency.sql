-- Card API (issue 6): responses of mutating card requests, keyed by the
-- idempotency key the card sends. hubspot.fetch retries once on 5xx or a dropped
-- connection; the retry must replay the first answer, never toss up twice.
-- clock_at keeps the `now` of the first attempt so a retry after a failure plans
-- with the same time and therefore the same deterministic side-effect keys.
create table card_api_requests (
  portal_id        bigint not null,
  idempotency_key  text not null,
  request_hash     text not null,
  state            text not null default 'pending' check (state in ('pending', 'done')),
  clock_at         bigint not null,
  locked_until     bigint not null,
  status_code      integer,
  response         jsonb,
  created_at       bigint not null,
  completed_at     bigint,
  primary key (portal_id, idempotency_key)
);
create index card_api_requests_created on card_api_requests (created_at);
