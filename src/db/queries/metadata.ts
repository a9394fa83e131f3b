import type { Db } from '../db.js';
import { iso } from '../db.js';

/** The latest state of one view (`mvwatch status`). */
export interface ViewStatus {
  view: string;
  schema: string;
  /** `never_refreshed` when mvwatch has no record of it. */
  status: 'success' | 'failed' | 'never_refreshed';
  lastRefreshTime: string | null;
  lastSuccessTime: string | null;
  rowCount: number | null;
  durationSeconds: number | null;
  strategy: string | null;
  errorMessage: string | null;
  sourceTables: string[];
  updatedAt: string | null;
}

// biome-ignore lint/suspicious/noExplicitAny: a row straight from pg
function toStatus(r: any): ViewStatus {
  let sourceTables: string[] = [];
  try {
    sourceTables = r.source_tables ? JSON.parse(r.source_tables) : [];
  } catch {
    sourceTables = [String(r.source_tables)];
  }
  return {
    view: r.view_name,
    schema: r.view_schema,
    status: r.refresh_status ?? 'never_refreshed',
    lastRefreshTime: iso(r.last_refresh_time),
    lastSuccessTime: iso(r.last_success_time),
    rowCount: r.row_count,
    durationSeconds: r.refresh_duration_seconds,
    strategy: r.refresh_strategy,
    errorMessage: r.error_message,
    sourceTables,
    updatedAt: iso(r.updated_at),
  };
}

const COLUMNS = `view_name, view_schema, refresh_status, last_refresh_time, last_success_time, row_count,
  refresh_duration_seconds, refresh_strategy, error_message, source_tables, updated_at`;

/** The metadata row of a view, or null when it was never refreshed. */
export async function getMetadata(db: Pick<Db, 'query' | 's'>, view: string): Promise<ViewStatus | null> {
  const { rows } = await db.query(
    `select ${COLUMNS} from ${db.s}.materialized_views_metadata where view_name = $1::text`,
    [view],
  );
  return rows[0] ? toStatus(rows[0]) : null;
}

/** Every metadata row, by name. */
export async function listMetadata(db: Pick<Db, 'query' | 's'>): Promise<ViewStatus[]> {
  const { rows } = await db.query(
    `select ${COLUMNS} from ${db.s}.materialized_views_metadata order by view_name`,
  );
  return rows.map(toStatus);
}

/** A status for a view mvwatch has never refreshed. */
export function neverRefreshed(view: string, schema: string): ViewStatus {
  return {
    view,
    schema,
    status: 'never_refreshed',
    lastRefreshTime: null,
    lastSuccessTime: null,
    rowCount: null,
    durationSeconds: null,
    strategy: null,
    errorMessage: null,
    sourceTables: [],
    updatedAt: null,
  };
}

/** Makes sure a metadata row exists (quality-check rows reference it), without changing one. */
export async function ensureMetadata(
  db: Pick<Db, 'query' | 's'>,
  view: string,
  schema: string,
  relname: string,
): Promise<void> {
  await db.query(
    `insert into ${db.s}.materialized_views_metadata (view_name, view_schema, view_relname)
     values ($1::text, $2::text, $3::text) on conflict (view_name) do nothing`,
    [view, schema, relname],
  );
}
