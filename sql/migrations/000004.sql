-- 000004: notification delivery (issue 5): aggregation groups, the delivery log, rate-limit
-- counters. `:MVWATCH_SCHEMA` is replaced by the quoted state schema. The job queue itself lives
-- in graphile-worker's own schema (default mvwatch_worker), installed by graphile-worker.

-- One aggregation group per route and groupBy values (Alertmanager's aggregation group), in the
-- database so every process adds to the same group and one flush sends one message.
create table :MVWATCH_SCHEMA.materialized_views_notify_groups (
  id bigserial primary key,
  -- `route:{view="public.sales_mv"}`
  group_key text not null unique,
  route text not null,
  group_labels jsonb not null default '{}',
  -- the route's settings at the latest transition (channels, intervals, fallback, locale):
  -- a flush sends what the alert writer routed, even if a worker runs another config version
  settings jsonb not null,
  -- when the scheduled flush runs; null: nothing pending
  next_flush_at timestamptz,
  last_flush_at timestamptz,
  created_at timestamptz not null default now()
);
-- The maintenance loop re-queues flushes that are overdue.
create index materialized_views_notify_groups_due
  on :MVWATCH_SCHEMA.materialized_views_notify_groups (next_flush_at) where next_flush_at is not null;

-- The incidents of a group and what the group last told about each (the dedup stage's memory).
create table :MVWATCH_SCHEMA.materialized_views_notify_members (
  group_id bigint not null references :MVWATCH_SCHEMA.materialized_views_notify_groups (id) on delete cascade,
  alert_id bigint not null references :MVWATCH_SCHEMA.materialized_views_alerts (id) on delete cascade,
  -- the incident with its view's labels as of its latest transition (what the message shows)
  alert jsonb not null,
  -- the most urgent transition not yet sent; null: nothing new
  pending text check (pending in ('firing', 'escalated', 'repeat', 'resolved')),
  notified_at timestamptz,
  notified_status text check (notified_status in ('firing', 'resolved')),
  primary key (group_id, alert_id)
);
create index materialized_views_notify_members_alert
  on :MVWATCH_SCHEMA.materialized_views_notify_members (alert_id);

-- One notification to one channel, with everything needed to send it again identically.
create table :MVWATCH_SCHEMA.materialized_views_deliveries (
  id bigserial primary key,
  -- the idempotency key (`webhook-id`), the same on every attempt
  notification_id text not null,
  channel text not null,
  route text not null,
  group_key text not null,
  alert_ids bigint[] not null,
  transition text not null check (transition in ('firing', 'escalated', 'repeat', 'resolved')),
  -- the rendered Notification, stored so every retry sends the same message
  notification jsonb not null,
  status text not null default 'pending'
    check (status in ('pending', 'retrying', 'delivered', 'failed', 'dead')),
  attempts int not null default 0,
  max_attempts int not null,
  -- the route's fallback channel; null: none
  fallback text,
  -- the delivery this one stands in for (a fallback delivery never falls back again)
  fallback_of bigint references :MVWATCH_SCHEMA.materialized_views_deliveries (id) on delete set null,
  last_status_code int,
  last_error text,
  next_attempt_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (notification_id, channel)
);
create index materialized_views_deliveries_time
  on :MVWATCH_SCHEMA.materialized_views_deliveries (created_at desc, id desc);
create index materialized_views_deliveries_failed
  on :MVWATCH_SCHEMA.materialized_views_deliveries (created_at desc) where status in ('failed', 'dead');

-- The delivery log: one row per attempt (a rate-limit postponement is not an attempt).
create table :MVWATCH_SCHEMA.materialized_views_delivery_attempts (
  id bigserial primary key,
  delivery_id bigint not null references :MVWATCH_SCHEMA.materialized_views_deliveries (id) on delete cascade,
  attempt int not null,
  channel text not null,
  notification_id text not null,
  -- delivered; retrying (failed, another attempt is scheduled); failed (permanent); dead (last attempt)
  status text not null check (status in ('delivered', 'retrying', 'failed', 'dead')),
  status_code int,
  latency_ms int not null,
  -- secrets redacted by the channel before it reaches this table
  error text,
  created_at timestamptz not null default now()
);
create index materialized_views_delivery_attempts_delivery
  on :MVWATCH_SCHEMA.materialized_views_delivery_attempts (delivery_id, attempt);

-- Sliding-window rate limits shared by every worker process: one row per message sent to a
-- rate-limited channel, pruned once older than the longest window.
create table :MVWATCH_SCHEMA.materialized_views_rate_events (
  key text not null,
  at timestamptz not null
);
create index materialized_views_rate_events_key_at
  on :MVWATCH_SCHEMA.materialized_views_rate_events (key, at);
