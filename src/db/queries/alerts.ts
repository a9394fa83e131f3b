import type { Incident } from '../../alerts/transition.js';
import type { Alert, AlertSeverity, AlertType } from '../../types.js';
import type { Db } from '../db.js';
import { iso } from '../db.js';

type Q = Pick<Db, 'query' | 's'>;

/** Filters of alert listings (`mvwatch alerts`, `GET /api/alerts`). */
export interface AlertFilter {
  view?: string;
  type?: AlertType;
  severity?: AlertSeverity;
  status?: 'firing' | 'resolved';
  /** Only alerts nobody acknowledged. */
  unacked?: boolean;
  /** Default 100. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

export const ALERT_COLUMNS = `id, view_name, alert_type, severity, status, message, details, occurrences, first_seen_at,
  last_seen_at, resolved_at, silenced, inhibited_by, acknowledged, acknowledged_by, acknowledged_at, notes, created_at,
  fingerprint, check_name, labels`;

// biome-ignore lint/suspicious/noExplicitAny: a row straight from pg (or from json_agg of one)
export function toAlert(r: any): Alert {
  return {
    id: r.id,
    view: r.view_name,
    type: r.alert_type,
    severity: r.severity,
    status: r.status,
    message: r.message,
    details: r.details ?? {},
    occurrences: r.occurrences,
    firstSeenAt: iso(r.first_seen_at)!,
    lastSeenAt: iso(r.last_seen_at)!,
    resolvedAt: iso(r.resolved_at),
    silenced: r.silenced,
    inhibitedBy: r.inhibited_by ?? null,
    acknowledged: r.acknowledged,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: iso(r.acknowledged_at),
    notes: r.notes,
    createdAt: iso(r.created_at)!,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: a row straight from pg (or from json_agg of one)
export function toIncident(r: any): Incident {
  return {
    ...toAlert(r),
    // Rows from before the lifecycle have none; they are keyed by id (see lockKey).
    fingerprint: r.fingerprint ?? `id:${r.id}`,
    check: r.check_name ?? null,
    labels: r.labels ?? {},
    inhibitedBy: r.inhibited_by ?? null,
  };
}

/** The public shape of an incident (drops the lifecycle's internal fields). */
export function publicAlert(i: Incident): Alert {
  const { fingerprint: _f, check: _c, labels: _l, ...alert } = i;
  return alert;
}

/** Builds the WHERE clause of a filter with bound values. */
export function alertWhere(f: AlertFilter, params: unknown[]): string {
  const where: string[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.view) add('view_name = ?::text', f.view);
  if (f.type) add('alert_type = ?::text', f.type);
  if (f.severity) add('severity = ?::text', f.severity);
  if (f.status) add('status = ?::text', f.status);
  if (f.unacked) where.push('not acknowledged');
  return where.length ? `where ${where.join(' and ')}` : '';
}

/**
 * Incidents matching the filter, newest first by creation (the first occurrence): an order
 * that later occurrences never change, so paging with offsets is stable while alerts fire.
 */
export async function listAlerts(db: Q, f: AlertFilter = {}): Promise<Alert[]> {
  const params: unknown[] = [];
  const where = alertWhere(f, params);
  params.push(f.limit ?? 100, f.offset ?? 0);
  const { rows } = await db.query(
    `select ${ALERT_COLUMNS} from ${db.s}.materialized_views_alerts ${where}
      order by created_at desc, id desc limit $${params.length - 1}::int offset $${params.length}::int`,
    params,
  );
  return rows.map(toAlert);
}

/**
 * Incidents by severity and by type that were active in the last `days` days (their latest
 * occurrence falls in the window): a week-long incident counts once, and still counts.
 */
export async function countAlerts(
  db: Q,
  days: number,
  view?: string,
): Promise<{ severity: string; type: string; n: number }[]> {
  const { rows } = await db.query<{ severity: string; type: string; n: number }>(
    `select severity, alert_type as type, count(*) as n from ${db.s}.materialized_views_alerts
      where last_seen_at >= now() - make_interval(days => $1::int) and ($2::text is null or view_name = $2::text)
      group by severity, alert_type`,
    [days, view ?? null],
  );
  return rows;
}
