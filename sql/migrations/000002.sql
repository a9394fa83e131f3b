-- 000002: the alert lifecycle (issue 4). An alert row is now an incident: one per fingerprint
-- while it fires, updated by every further occurrence, resolved when the condition clears.
-- `:MVWATCH_SCHEMA` is replaced by the quoted state schema.

alter table :MVWATCH_SCHEMA.materialized_views_alerts
  -- the check that raised it (null for refresh and view-level freshness alerts)
  add column check_name text,
  -- the view's labels at the latest occurrence (silence matchers, routing, notifications)
  add column labels jsonb not null default '{}',
  -- the firing incident that inhibited the latest occurrence (null: not inhibited)
  add column inhibited_by bigint references :MVWATCH_SCHEMA.materialized_views_alerts (id) on delete set null;

-- Every occurrence updates its incident: leave room on each page so those updates stay HOT
-- (a repeat changes no indexed column) instead of rewriting seven indexes each time.
alter table :MVWATCH_SCHEMA.materialized_views_alerts set (fillfactor = 70);

-- At most one firing incident per fingerprint: a writer that skipped the per-fingerprint lock
-- gets a unique violation, never a duplicate. Also the look-up index of every observation.
-- Rows from before this migration have no fingerprint and stay outside the index.
create unique index materialized_views_alerts_firing_fingerprint
  on :MVWATCH_SCHEMA.materialized_views_alerts (fingerprint) where status = 'firing';
create index materialized_views_alerts_status_time
  on :MVWATCH_SCHEMA.materialized_views_alerts (status, created_at desc);
-- Upstream inhibition looks for firing refresh incidents of given views.
create index materialized_views_alerts_firing_view
  on :MVWATCH_SCHEMA.materialized_views_alerts (view_name, alert_type) where status = 'firing';

-- The occurrence log: one row per thing that happened to an incident.
create table :MVWATCH_SCHEMA.materialized_views_alert_events (
  id bigserial primary key,
  alert_id bigint not null references :MVWATCH_SCHEMA.materialized_views_alerts (id) on delete cascade,
  kind text not null check (kind in ('occurrence', 'escalation', 'resolution', 'acknowledgement',
    'unacknowledgement', 'silenced', 'inhibited', 'unsilenced')),
  -- the incident's severity after the event
  severity text not null check (severity in ('info', 'warning', 'error', 'critical')),
  message text,
  details jsonb not null default '{}',
  silenced boolean not null default false,
  inhibited_by bigint,
  -- who acknowledged or unacknowledged (null for observed events)
  actor text,
  run_id bigint,
  created_at timestamptz not null default now()
);
create index materialized_views_alert_events_alert
  on :MVWATCH_SCHEMA.materialized_views_alert_events (alert_id, id);

-- Silences: while one matches, alerts are recorded `silenced` and not notified.
create table :MVWATCH_SCHEMA.materialized_views_silences (
  id bigserial primary key,
  -- { view?, type?, severity?, labels?: { k: v } }; each value exact or a glob (* and ?)
  matchers jsonb not null,
  starts_at timestamptz not null default now(),
  ends_at timestamptz not null,
  created_by text not null,
  comment text not null default '',
  created_at timestamptz not null default now(),
  -- an expired silence that never started ends where it starts (an empty interval)
  check (ends_at >= starts_at)
);
create index materialized_views_silences_ends
  on :MVWATCH_SCHEMA.materialized_views_silences (ends_at desc);
