-- 000003: the column snapshot schema_check compares against. `:MVWATCH_SCHEMA` is replaced by
-- the quoted state schema.

-- One row per view: its columns (name and format_type) as last recorded. Written in the
-- refresh transaction, so a refresh the quality gate rolls back does not move the baseline.
create table :MVWATCH_SCHEMA.materialized_views_columns (
  view_name text primary key,
  columns jsonb not null,
  recorded_at timestamptz not null default now()
);
