import type pg from 'pg';
import { DEFAULTS } from '../config/defaults.js';
import type { Db } from '../db/db.js';
import { quoteIdent } from '../db/identifiers.js';
import { recentSuccessfulRuns } from '../db/queries/refresh-runs.js';
import { CHECK_DEFAULTS } from './config.js';
import type { ColumnInfo, HistoryInputs } from './types.js';

/**
 * What the engine compares against, from the state tables: the previous *successful* run's
 * row count (a failed run's count never counts: defect 2), recent successful runs newest
 * first, and the last column snapshot. Call it before the current run is recorded.
 *
 * @param source a Db, or the connection the checks run on: a check step already holds one (and,
 *   under the gate, the view's refresh lock), so it must not wait for a second from the pool.
 * @param options.window successful runs to read (default 30).
 * @param options.schema state schema when `source` is a connection (default: the Db's, else `mvwatch`).
 */
export async function loadCheckInputs(
  source: Queryable,
  viewKey: string,
  options: { window?: number; schema?: string } = {},
): Promise<HistoryInputs> {
  const window = options.window ?? CHECK_DEFAULTS.historyWindow;
  const target = { s: stateSchema(source, options.schema), query: queryOf(source) } as Pick<
    Db,
    'query' | 's'
  >;
  // One after the other: on a single connection they would queue anyway.
  const history = await recentSuccessfulRuns(target, viewKey, window);
  const snapshot = await target.query<{ columns: ColumnInfo[] }>(
    `select columns from ${target.s}.materialized_views_columns where view_name = $1::text`,
    [viewKey],
  );
  return {
    previousRowCount: history.find((h) => h.rowCount !== null)?.rowCount ?? null,
    history,
    previousColumns: snapshot.rows[0]?.columns ?? null,
  };
}

/** Something that runs SQL: a Db (the pool) or one connection (inside the refresh transaction). */
export type Queryable = Pick<pg.ClientBase, 'query'> | Db;

/**
 * Records `columns` as the view's schema snapshot (what the next schema_check compares with).
 *
 * @param target a Db, or a connection (pg client) to write inside the caller's transaction.
 * @param options.schema state schema when `target` is a connection (default: the Db's, else `mvwatch`).
 */
export async function saveColumns(
  target: Queryable,
  viewKey: string,
  columns: ColumnInfo[],
  options: { schema?: string } = {},
): Promise<void> {
  const s = stateSchema(target, options.schema);
  const snapshot = columns.map(({ name, type }) => ({ name, type }));
  await queryOf(target)(
    `insert into ${s}.materialized_views_columns (view_name, columns) values ($1::text, $2::jsonb)
     on conflict (view_name) do update set columns = excluded.columns, recorded_at = now()`,
    [viewKey, JSON.stringify(snapshot)],
  );
}

/** The quoted state schema: the given name, else the Db's, else the default. */
function stateSchema(target: Queryable, schema: string | undefined): string {
  if (schema !== undefined) return quoteIdent(schema);
  return 's' in target ? target.s : quoteIdent(DEFAULTS.schema);
}

/** `target.query` as one (text, values) signature: a Db's and a pg client's overload sets do not unify. */
function queryOf(target: Queryable): (sql: string, params: unknown[]) => Promise<pg.QueryResult> {
  const q = target as { query(sql: string, params: unknown[]): Promise<pg.QueryResult> };
  return (sql, params) => q.query(sql, params);
}
