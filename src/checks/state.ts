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
 * @param options.window successful runs to read (default 30).
 */
export async function loadCheckInputs(
  db: Db,
  viewKey: string,
  options: { window?: number } = {},
): Promise<HistoryInputs> {
  const window = options.window ?? CHECK_DEFAULTS.historyWindow;
  const [history, snapshot] = await Promise.all([
    recentSuccessfulRuns(db, viewKey, window),
    db.query<{ columns: ColumnInfo[] }>(
      `select columns from ${db.s}.materialized_views_columns where view_name = $1::text`,
      [viewKey],
    ),
  ]);
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
  const s =
    options.schema !== undefined
      ? quoteIdent(options.schema)
      : 's' in target
        ? target.s
        : quoteIdent(DEFAULTS.schema);
  const snapshot = columns.map(({ name, type }) => ({ name, type }));
  // Both a Db and a pg client take (text, values); their overload sets just do not unify.
  await (target as { query(sql: string, params: unknown[]): Promise<unknown> }).query(
    `insert into ${s}.materialized_views_columns (view_name, columns) values ($1::text, $2::jsonb)
     on conflict (view_name) do update set columns = excluded.columns, recorded_at = now()`,
    [viewKey, JSON.stringify(snapshot)],
  );
}
