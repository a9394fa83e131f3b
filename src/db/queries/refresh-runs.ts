import type { RefreshResult } from '../../types.js';
import type { Db } from '../db.js';
import { iso, prepared } from '../db.js';

/** One row of `materialized_views_refresh_runs`, as the API and CLI show it. */
export interface RefreshRun {
  id: number;
  view: string;
  status: 'success' | 'failed' | 'skipped';
  strategy: string;
  usedStrategy: string | null;
  fallback: boolean;
  fallbackReason: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  rowCount: number | null;
  sqlstate: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  trigger: string;
}

const COLUMNS = `id, view_name, status, requested_strategy, used_strategy, fallback, fallback_reason,
  started_at, finished_at, duration_ms, row_count, sqlstate, error_kind, error_message, trigger`;

// biome-ignore lint/suspicious/noExplicitAny: a row straight from pg
function toRun(r: any): RefreshRun {
  return {
    id: r.id,
    view: r.view_name,
    status: r.status,
    strategy: r.requested_strategy,
    usedStrategy: r.used_strategy,
    fallback: r.fallback,
    fallbackReason: r.fallback_reason,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at)!,
    durationMs: r.duration_ms,
    rowCount: r.row_count,
    sqlstate: r.sqlstate,
    errorKind: r.error_kind,
    errorMessage: r.error_message,
    trigger: r.trigger,
  };
}

/**
 * Records a refresh attempt and, unless it was skipped, upserts the view's metadata row, in
 * one statement. A failed refresh keeps the last good row count (defect 2 of the seed).
 * Returns the run id.
 */
export async function insertRun(
  db: Pick<Db, 'query' | 's'>,
  result: RefreshResult,
  extra: { viewSchema: string; viewRelname: string; sourceTables?: string[]; trigger?: string },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    // Once per refresh: prepared, so it is planned once per connection.
    prepared(`with run as (
       insert into ${db.s}.materialized_views_refresh_runs
         (view_name, view_schema, requested_strategy, used_strategy, fallback, fallback_reason, started_at,
          finished_at, duration_ms, row_count, status, sqlstate, error_kind, error_message, trigger)
       values ($1::text, $2::text, $3::text, $4::text, $5::bool, $6::text, $7::timestamptz, $8::timestamptz,
               $9::float8, $10::int8, $11::text, $12::text, $13::text, $14::text, $15::text)
       returning id
     ), meta as (
       insert into ${db.s}.materialized_views_metadata as m
         (view_name, view_schema, view_relname, source_tables, refresh_strategy, last_refresh_time, refresh_status,
          row_count, refresh_duration_seconds, error_message, last_success_time)
       select $1, $2, $16::text, $17::text, coalesce($4, $3), $7, $11, $10, $9 / 1000.0, $14,
              case when $11 = 'success' then $8 end
        where $11 <> 'skipped'
       on conflict (view_name) do update set
         view_schema = excluded.view_schema,
         view_relname = excluded.view_relname,
         source_tables = coalesce(excluded.source_tables, m.source_tables),
         refresh_strategy = excluded.refresh_strategy,
         last_refresh_time = excluded.last_refresh_time,
         refresh_status = excluded.refresh_status,
         row_count = case when excluded.refresh_status = 'success' then excluded.row_count else m.row_count end,
         refresh_duration_seconds = excluded.refresh_duration_seconds,
         error_message = excluded.error_message,
         last_success_time = coalesce(excluded.last_success_time, m.last_success_time),
         updated_at = now()
     )
     select id from run`),
    [
      result.view,
      extra.viewSchema,
      result.strategy,
      result.usedStrategy,
      result.fallback,
      result.fallbackReason ?? null,
      result.startedAt,
      result.finishedAt,
      result.durationMs,
      result.rowCount,
      result.status,
      result.error?.sqlstate ?? null,
      result.error?.kind ?? null,
      result.error?.message ?? null,
      extra.trigger ?? 'api',
      extra.viewRelname,
      extra.sourceTables?.length ? JSON.stringify(extra.sourceTables) : null,
    ],
  );
  return rows[0]!.id;
}

/** Refresh runs of one view, newest first. */
export async function listRuns(
  db: Pick<Db, 'query' | 's'>,
  view: string,
  limit = 10,
  offset = 0,
): Promise<RefreshRun[]> {
  const { rows } = await db.query(
    `select ${COLUMNS} from ${db.s}.materialized_views_refresh_runs
      where view_name = $1::text order by started_at desc, id desc limit $2::int offset $3::int`,
    [view, limit, offset],
  );
  return rows.map(toRun);
}

/** Row counts and durations of a view's last `limit` successful runs, newest first (check history). */
export async function recentSuccessfulRuns(
  db: Pick<Db, 'query' | 's'>,
  view: string,
  limit: number,
): Promise<{ rowCount: number | null; durationMs: number }[]> {
  const { rows } = await db.query<{ row_count: number | null; duration_ms: number }>(
    `select row_count, duration_ms from ${db.s}.materialized_views_refresh_runs
      where view_name = $1::text and status = 'success' order by started_at desc, id desc limit $2::int`,
    [view, limit],
  );
  return rows.map((r) => ({ rowCount: r.row_count, durationMs: r.duration_ms }));
}
