import type { CheckResult } from '../../types.js';
import type { Db } from '../db.js';
import { iso } from '../db.js';

/** A recorded check result (`materialized_views_quality_checks`). */
export interface QualityCheckRecord extends CheckResult {
  id: number;
  view: string;
  runId: number | null;
  checkedAt: string;
}

/**
 * Records check results in one statement (unnest of arrays), returning their ids in order.
 * The view's metadata row must exist (the seed's foreign key).
 */
export async function insertChecks(
  db: Pick<Db, 'query' | 's'>,
  view: string,
  results: CheckResult[],
  runId: number | null,
): Promise<number[]> {
  if (results.length === 0) return [];
  const { rows } = await db.query<{ id: number }>(
    `insert into ${db.s}.materialized_views_quality_checks
       (view_name, check_name, check_kind, check_status, check_message, check_details, run_id)
     select $1::text, n, k, s, m, d, $2::int8
       from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[]) with ordinality as t(n, k, s, m, d, i)
      order by i
     returning id`,
    [
      view,
      runId,
      results.map((r) => r.check),
      results.map((r) => r.kind),
      results.map((r) => r.status),
      results.map((r) => r.message),
      results.map((r) => JSON.stringify(r.details ?? {})),
    ],
  );
  return rows.map((r) => r.id);
}

/** Check results of a view, newest first. */
export async function listChecks(
  db: Pick<Db, 'query' | 's'>,
  view: string,
  limit = 10,
  offset = 0,
): Promise<QualityCheckRecord[]> {
  const { rows } = await db.query(
    `select id, view_name, check_name, check_kind, check_status, check_message, check_details, checked_at, run_id
       from ${db.s}.materialized_views_quality_checks
      where view_name = $1::text order by checked_at desc, id desc limit $2::int offset $3::int`,
    [view, limit, offset],
  );
  return rows.map((r) => ({
    id: r.id,
    view: r.view_name,
    check: r.check_name,
    kind: r.check_kind ?? r.check_name,
    status: r.check_status,
    message: r.check_message ?? '',
    details: r.check_details ?? {},
    runId: r.run_id,
    checkedAt: iso(r.checked_at)!,
  }));
}
