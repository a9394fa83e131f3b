import type { AlertEvent } from '../../alerts/events.js';
import type { Db } from '../db.js';
import { iso } from '../db.js';

/** An incident's occurrence log, oldest first. */
export async function listAlertEvents(db: Pick<Db, 'query' | 's'>, alertId: number): Promise<AlertEvent[]> {
  const { rows } = await db.query(
    `select id, alert_id, kind, severity, message, details, silenced, inhibited_by, actor, run_id, created_at
       from ${db.s}.materialized_views_alert_events where alert_id = $1::int8 order by id`,
    [alertId],
  );
  return rows.map((r) => ({
    id: r.id,
    alertId: r.alert_id,
    kind: r.kind,
    severity: r.severity,
    message: r.message,
    details: r.details ?? {},
    silenced: r.silenced,
    inhibitedBy: r.inhibited_by,
    actor: r.actor,
    runId: r.run_id,
    createdAt: iso(r.created_at)!,
  }));
}
