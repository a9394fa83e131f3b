-- 000001: the seed's three tables (every seed column and index; timestamptz and bigint), plus
-- one row per refresh attempt. `:MVWATCH_SCHEMA` is replaced by the quoted state schema.

-- One row per view: its latest state (the seed's table). view_name is the canonical
-- `schema.name`, so views of the same name in two schemas do not collide.
create table :MVWATCH_SCHEMA.materialized_views_metadata (
  view_name text primary key,
  view_schema text not null,
  source_tables text,
  refresh_strategy text,
  last_refresh_time timestamptz,
  refresh_status text,
  row_count bigint,
  refresh_duration_seconds double precision,
  error_message text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- ours: the last successful refresh, and the relation's own parts for catalog look-ups
  last_success_time timestamptz,
  view_relname text
);

-- Real history (defect 1): one row per refresh attempt, including skipped ones.
create table :MVWATCH_SCHEMA.materialized_views_refresh_runs (
  id bigserial primary key,
  view_name text not null,
  view_schema text not null,
  requested_strategy text not null,
  used_strategy text,
  fallback boolean not null default false,
  fallback_reason text,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  duration_ms double precision not null,
  row_count bigint,
  status text not null check (status in ('success', 'failed', 'skipped')),
  sqlstate text,
  error_kind text,
  error_message text,
  trigger text not null default 'api',
  created_at timestamptz not null default now()
);
create index materialized_views_refresh_runs_view_idx
  on :MVWATCH_SCHEMA.materialized_views_refresh_runs (view_name, started_at desc, id desc);

create table :MVWATCH_SCHEMA.materialized_views_quality_checks (
  id bigserial primary key,
  view_name text not null references :MVWATCH_SCHEMA.materialized_views_metadata (view_name) on delete cascade,
  check_name text not null,
  check_status text not null,
  check_message text,
  check_details jsonb,
  checked_at timestamptz not null default now(),
  -- ours: the check kind and the refresh run it belongs to (null for `mvwatch check`)
  check_kind text,
  run_id bigint
);
create index idx_quality_checks_view_time
  on :MVWATCH_SCHEMA.materialized_views_quality_checks (view_name, checked_at desc);

create table :MVWATCH_SCHEMA.materialized_views_alerts (
  id bigserial primary key,
  view_name text not null,
  alert_type text not null,
  severity text not null check (severity in ('info', 'warning', 'error', 'critical')),
  message text not null,
  details jsonb not null default '{}',
  acknowledged boolean not null default false,
  acknowledged_by text,
  acknowledged_at timestamptz,
  notes text,
  created_at timestamptz not null default now(),
  -- ours: the incident lifecycle (SPEC §5 alert shape)
  fingerprint text,
  status text not null default 'firing' check (status in ('firing', 'resolved')),
  occurrences bigint not null default 1,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  resolved_at timestamptz,
  silenced boolean not null default false
);
create index idx_alerts_view_time on :MVWATCH_SCHEMA.materialized_views_alerts (view_name, created_at desc);
create index idx_alerts_severity_time on :MVWATCH_SCHEMA.materialized_views_alerts (severity, created_at desc);
create index idx_alerts_ack_time on :MVWATCH_SCHEMA.materialized_views_alerts (acknowledged, created_at desc);
create index idx_alerts_type_time on :MVWATCH_SCHEMA.materialized_views_alerts (alert_type, created_at desc);
