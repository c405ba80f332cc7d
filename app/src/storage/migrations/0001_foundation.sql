-- Foundation schema. All times are epoch milliseconds written by the backend's
-- injectable clock (never the server's now()); ids from HubSpot are int8.

-- One row per HubSpot portal (account) that installed the app.
create table installs (
  portal_id        bigint primary key,
  hub_domain       text,
  scopes           text not null default '',
  status           text not null default 'active' check (status in ('active', 'disconnected', 'uninstalled')),
  status_reason    text,
  installed_at     bigint not null,
  updated_at       bigint not null
);

-- OAuth tokens, AES-256-GCM encrypted with the portal id as associated data
-- ("v1.<keyId>.<iv>.<tag>.<ciphertext>", base64url parts). Never plaintext.
create table oauth_tokens (
  portal_id          bigint primary key references installs(portal_id) on delete cascade,
  refresh_token_ct   text not null,
  access_token_ct    text not null,
  access_expires_at  bigint not null,
  updated_at         bigint not null
);

-- CSRF state for the OAuth install flow; single use, short-lived.
create table oauth_states (
  state       text primary key,
  created_at  bigint not null,
  expires_at  bigint not null,
  used_at     bigint
);

-- Per-portal settings document (validated by the shared zod schema).
create table portal_settings (
  portal_id   bigint primary key,
  version     integer not null,
  settings    jsonb not null,
  updated_at  bigint not null,
  updated_by  text
);

-- Webhook inbox: every event HubSpot delivered, stored before we answer 2xx.
create table webhook_inbox (
  id                 bigserial primary key,
  portal_id          bigint not null,
  event_key          text not null,
  subscription_type  text not null,
  object_type        text,
  object_id          bigint,
  occurred_at        bigint not null,
  payload            jsonb not null,
  status             text not null default 'pending' check (status in ('pending', 'processing', 'done', 'ignored', 'parked')),
  attempts           integer not null default 0,
  next_attempt_at    bigint not null default 0,
  locked_by          text,
  locked_until       bigint,
  last_error         text,
  received_at        bigint not null,
  processed_at       bigint,
  unique (portal_id, event_key)
);
create index webhook_inbox_pending on webhook_inbox (portal_id, next_attempt_at) where status in ('pending', 'processing');

-- Ledger of observed signals, keyed so that a duplicate delivery cannot count twice.
create table signal_ledger (
  portal_id    bigint not null,
  contact_id   bigint not null,
  signal_key   text not null,
  kind         text not null,
  occurred_at  bigint not null,
  details      jsonb not null default '{}'::jsonb,
  recorded_at  bigint not null,
  primary key (portal_id, contact_id, signal_key)
);

-- Hand-off audit log: who, when, why, routing path.
create table handoff_log (
  id             bigserial primary key,
  portal_id      bigint not null,
  contact_id     bigint not null,
  action         text not null,
  actor_owner_id text,
  to_owner_id    text,
  reason         text,
  routing_path   text,
  details        jsonb not null default '{}'::jsonb,
  at             bigint not null,
  dedupe_key     text not null,
  unique (portal_id, dedupe_key)
);
create index handoff_log_contact on handoff_log (portal_id, contact_id, at);

-- Durable jobs (SLA checks, reconciliation sweeps, backfills), claimed with
-- FOR UPDATE SKIP LOCKED so several processes never run one job twice.
create table jobs (
  id              bigserial primary key,
  portal_id       bigint,
  kind            text not null,
  job_key         text not null unique,
  run_at          bigint not null,
  status          text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed', 'parked')),
  attempts        integer not null default 0,
  payload         jsonb not null default '{}'::jsonb,
  locked_by       text,
  locked_until    bigint,
  last_error      text,
  created_at      bigint not null,
  updated_at      bigint not null
);
create index jobs_due on jobs (run_at) where status in ('pending', 'running');

-- Idempotent external side effects: the deterministic key is reserved before the
-- HubSpot call and completed with HubSpot's id after, so a crash in between is
-- recoverable without creating a second task or note.
create table side_effects (
  portal_id     bigint not null,
  effect_key    text not null,
  kind          text not null,
  state         text not null default 'pending' check (state in ('pending', 'done', 'failed')),
  hubspot_id    text,
  request       jsonb not null default '{}'::jsonb,
  created_at    bigint not null,
  completed_at  bigint,
  primary key (portal_id, effect_key)
);

-- SLA clock per handed-off contact (domain SlaClock, app/src/domain/types.ts).
-- The scheduler sweeps due clocks against the injectable clock; nothing is armed as a timer.
create table sla_clocks (
  portal_id     bigint not null,
  contact_id    bigint not null,
  state         jsonb not null,
  next_check_at bigint,
  updated_at    bigint not null,
  primary key (portal_id, contact_id)
);
create index sla_clocks_due on sla_clocks (next_check_at) where next_check_at is not null;

-- Round-robin fairness survives restarts and is shared by every process.
create table round_robin_counts (
  portal_id    bigint not null,
  pool         text not null,
  owner_id     text not null,
  assignments  integer not null default 0,
  updated_at   bigint not null,
  primary key (portal_id, pool, owner_id)
);
