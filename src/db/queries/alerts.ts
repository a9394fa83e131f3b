import type { Alert, AlertSeverity, AlertType } from '../../types.js';
import type { Db } from '../db.js';
import { iso } from '../db.js';

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

/** A new alert row. */
export interface NewAlert {
  view: string;
  type: AlertType;
  severity: AlertSeverity;
  message: string;
  details: Record<string, unknown>;
  fingerprint?: string;
}

export const ALERT_COLUMNS = `id, view_name, alert_type, severity, status, message, details, occurrences, first_seen_at,
  last_seen_at, resolved_at, silenced, acknowledged, acknowledged_by, acknowledged_at, notes, created_at`;

// biome-ignore lint/suspicious/noExplicitAny: a row straight from pg
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
    acknowledged: r.acknowledged,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: iso(r.acknowledged_at),
    notes: r.notes,
    createdAt: iso(r.created_at)!,
  };
}

/** Inserts one alert; returns its id. */
export async function insertAlert(db: Pick<Db, 'query' | 's'>, a: NewAlert): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into ${db.s}.materialized_views_alerts (view_name, alert_type, severity, message, details, fingerprint)
     values ($1::text, $2::text, $3::text, $4::text, $5::jsonb, $6::text) returning id`,
    [a.view, a.type, a.severity, a.message, JSON.stringify(a.details), a.fingerprint ?? null],
  );
  return rows[0]!.id;
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

/** Alerts matching the filter, newest first. */
export async function listAlerts(db: Pick<Db, 'query' | 's'>, f: AlertFilter = {}): Promise<Alert[]> {
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

/** One alert by id, or null. */
export async function getAlert(db: Pick<Db, 'query' | 's'>, id: number): Promise<Alert | null> {
  const { rows } = await db.query(
    `select ${ALERT_COLUMNS} from ${db.s}.materialized_views_alerts where id = $1::int8`,
    [id],
  );
  return rows[0] ? toAlert(rows[0]) : null;
}

/** Counts by severity and by type over the last `days` days. */
export async function countAlerts(
  db: Pick<Db, 'query' | 's'>,
  days: number,
  view?: string,
): Promise<{ severity: string; type: string; n: number }[]> {
  const { rows } = await db.query<{ severity: string; type: string; n: number }>(
    `select severity, alert_type as type, count(*) as n from ${db.s}.materialized_views_alerts
      where created_at >= now() - make_interval(days => $1::int) and ($2::text is null or view_name = $2::text)
      group by severity, alert_type`,
    [days, view ?? null],
  );
  return rows;
}

/** Marks an alert acknowledged; returns it, or null when no alert has that id. */
export async function acknowledge(
  db: Pick<Db, 'query' | 's'>,
  id: number,
  by: string,
  notes: string,
): Promise<Alert | null> {
  const { rows } = await db.query(
    `update ${db.s}.materialized_views_alerts
        set acknowledged = true, acknowledged_by = $2::text, acknowledged_at = now(), notes = $3::text
      where id = $1::int8 returning ${ALERT_COLUMNS}`,
    [id, by, notes],
  );
  return rows[0] ? toAlert(rows[0]) : null;
}
