import type pg from 'pg';
import type { Silence } from '../../alerts/silences.js';
import type { EventDraft, Incident } from '../../alerts/transition.js';
import type { AlertType } from '../../types.js';
import { ALERT_COLUMNS, toIncident } from './alerts.js';
import { toSilence } from './silences.js';

/** A client inside a transaction, with the quoted state schema. */
export interface Tx {
  client: pg.ClientBase;
  s: string;
}

/** Anything that can run a read: a transaction's client or the pool. */
export interface Reader {
  client: Pick<pg.ClientBase, 'query'> | pg.Pool;
  s: string;
}

/**
 * Takes the transaction-scoped advisory lock of every fingerprint, in sorted order so two
 * writers never deadlock, and returns the database clock once they are held (so `lastSeenAt`
 * never runs backwards between writers). Every change to an incident happens under its
 * fingerprint's lock: read, decide (transition.ts), write.
 */
export async function lockFingerprints(tx: Tx, fingerprints: readonly string[]): Promise<Date> {
  const keys = [...new Set(fingerprints)].sort();
  const { rows } = await tx.client.query<{ now: Date }>(
    // hashtextextended seed: keeps these keys apart from other int8 advisory locks of the database.
    `with l as materialized (
       select count(pg_advisory_xact_lock(hashtextextended(k, 4004))) from unnest($1::text[]) k)
     select clock_timestamp() as now from l`,
    [keys],
  );
  return rows[0]!.now;
}

/** What a write decides from: firing incidents, active silences, firing refresh incidents upstream. */
export interface LifecycleState {
  firing: Incident[];
  silences: Silence[];
  firingRefresh: { view: string; id: number }[];
}

/** Reads everything a batch of observations decides from, in one statement. */
export async function readLifecycleState(
  tx: Tx,
  fingerprints: readonly string[],
  upstreamViews: readonly string[],
  refreshTypes: readonly AlertType[],
  now: Date,
): Promise<LifecycleState> {
  const { rows } = await tx.client.query(
    `select
       (select coalesce(json_agg(a), '[]') from (
          select ${ALERT_COLUMNS} from ${tx.s}.materialized_views_alerts
           where status = 'firing' and fingerprint = any($1::text[])) a) as firing,
       (select coalesce(json_agg(s), '[]') from (
          select * from ${tx.s}.materialized_views_silences
           where starts_at <= $4::timestamptz and ends_at > $4::timestamptz) s) as silences,
       (select coalesce(json_agg(u), '[]') from (
          select view_name as view, min(id) as id from ${tx.s}.materialized_views_alerts
           where status = 'firing' and view_name = any($2::text[]) and alert_type = any($3::text[])
           group by view_name) u) as firing_refresh`,
    [fingerprints, upstreamViews, refreshTypes, now],
  );
  const r = rows[0]!;
  return {
    firing: r.firing.map(toIncident),
    silences: r.silences.map(toSilence),
    firingRefresh: r.firing_refresh,
  };
}

/** One incident row to store; a negative `id` is a placeholder for a new incident. */
export interface IncidentWrite {
  incident: Incident;
  isNew: boolean;
}

/** One occurrence-log row to append; `alertId`/`inhibitedBy` may be placeholders. */
export interface EventWrite extends EventDraft {
  alertId: number;
}

const INCIDENT_RECORD = `id int8, is_new bool, fingerprint text, view_name text, alert_type text, check_name text,
  severity text, status text, message text, details jsonb, labels jsonb, occurrences int8, first_seen_at timestamptz,
  last_seen_at timestamptz, resolved_at timestamptz, silenced bool, inhibited_by int8, acknowledged bool,
  acknowledged_by text, acknowledged_at timestamptz, notes text, created_at timestamptz`;

const EVENT_RECORD = `alert_id int8, kind text, severity text, message text, details jsonb, silenced bool,
  inhibited_by int8, actor text, run_id int8`;

/**
 * Stores a batch of incident states and their log rows in ONE statement: new incidents get
 * real ids from the sequence (placeholders in incidents, events and `inhibited_by` are mapped
 * in SQL), existing ones are updated, every event is appended. Rows travel as one JSON array
 * per table (22 columns would be 22 `unnest` arrays). Returns placeholder → real id.
 */
export async function writeIncidents(
  tx: Tx,
  incidents: readonly IncidentWrite[],
  events: readonly EventWrite[],
  now: Date,
): Promise<Map<number, number>> {
  const inc = incidents.map(({ incident: i, isNew }) => ({
    id: i.id,
    is_new: isNew,
    fingerprint: i.fingerprint.startsWith('id:') ? null : i.fingerprint,
    view_name: i.view,
    alert_type: i.type,
    check_name: i.check,
    severity: i.severity,
    status: i.status,
    message: i.message,
    details: i.details,
    labels: i.labels,
    occurrences: i.occurrences,
    first_seen_at: i.firstSeenAt,
    last_seen_at: i.lastSeenAt,
    resolved_at: i.resolvedAt,
    silenced: i.silenced,
    inhibited_by: i.inhibitedBy,
    acknowledged: i.acknowledged,
    acknowledged_by: i.acknowledgedBy,
    acknowledged_at: i.acknowledgedAt,
    notes: i.notes,
    created_at: i.createdAt,
  }));
  const ev = events.map((e) => ({
    alert_id: e.alertId,
    kind: e.kind,
    severity: e.severity,
    message: e.message,
    details: e.details,
    silenced: e.silenced,
    inhibited_by: e.inhibitedBy,
    actor: e.actor,
    run_id: e.runId,
  }));
  const t = `${tx.s}.materialized_views_alerts`;
  const { rows } = await tx.client.query<{ tmp: number; id: number }>(
    `with raw as (select * from json_to_recordset($1::json) as r(${INCIDENT_RECORD})),
     ids as materialized (
       select r.id as tmp, nextval(pg_get_serial_sequence($3::text, 'id')) as id from raw r where r.is_new),
     inc as (
       select coalesce(m.id, r.id) as rid, coalesce(mi.id, r.inhibited_by) as rinhibited_by, r.*
         from raw r left join ids m on m.tmp = r.id left join ids mi on mi.tmp = r.inhibited_by),
     ins as (
       insert into ${t} (id, fingerprint, view_name, alert_type, check_name, severity, status, message, details,
         labels, occurrences, first_seen_at, last_seen_at, resolved_at, silenced, inhibited_by, acknowledged,
         acknowledged_by, acknowledged_at, notes, created_at)
       select rid, fingerprint, view_name, alert_type, check_name, severity, status, message, details, labels,
         occurrences, first_seen_at, last_seen_at, resolved_at, silenced, rinhibited_by, acknowledged,
         acknowledged_by, acknowledged_at, notes, created_at
         from inc where is_new
       returning id),
     upd as (
       update ${t} a set alert_type = i.alert_type, severity = i.severity, status = i.status, message = i.message,
         details = i.details, labels = i.labels, occurrences = i.occurrences, last_seen_at = i.last_seen_at,
         resolved_at = i.resolved_at, silenced = i.silenced, inhibited_by = i.rinhibited_by,
         acknowledged = i.acknowledged, acknowledged_by = i.acknowledged_by, acknowledged_at = i.acknowledged_at,
         notes = i.notes
         from inc i where not i.is_new and a.id = i.rid
       returning a.id),
     ev as (
       insert into ${tx.s}.materialized_views_alert_events
         (alert_id, kind, severity, message, details, silenced, inhibited_by, actor, run_id, created_at)
       select coalesce(m.id, e.alert_id), e.kind, e.severity, e.message, e.details, e.silenced,
         coalesce(mi.id, e.inhibited_by), e.actor, e.run_id, $4::timestamptz
         from json_to_recordset($2::json) as e(${EVENT_RECORD})
         left join ids m on m.tmp = e.alert_id left join ids mi on mi.tmp = e.inhibited_by
       returning 1)
     select tmp, id, (select count(*) from upd) as updated, (select count(*) from ev) as events from ids
     union all
     select null, null, (select count(*) from upd), (select count(*) from ev)`,
    [JSON.stringify(inc), JSON.stringify(ev), t, now],
  );
  const updated = Number((rows[0] as unknown as { updated: number }).updated);
  const expected = incidents.filter((w) => !w.isNew).length;
  // Every update targets a row read under the lock: a miss means someone deleted it meanwhile.
  if (updated !== expected) throw new Error(`alert write updated ${updated} of ${expected} incidents`);
  return new Map(rows.filter((r) => r.tmp !== null).map((r) => [Number(r.tmp), Number(r.id)]));
}

/** Firing incidents recorded as silenced (candidates for "the silence ended"). */
export async function silencedFiring(tx: Reader): Promise<Incident[]> {
  const { rows } = await tx.client.query(
    `select ${ALERT_COLUMNS} from ${tx.s}.materialized_views_alerts where status = 'firing' and silenced`,
  );
  return rows.map(toIncident);
}

/** The incident with this id (any status), or null. */
export async function incidentById(tx: Reader, id: number): Promise<Incident | null> {
  const { rows } = await tx.client.query(
    `select ${ALERT_COLUMNS} from ${tx.s}.materialized_views_alerts where id = $1::int8`,
    [id],
  );
  return rows[0] ? toIncident(rows[0]) : null;
}

/**
 * Firing `notification_failed` incidents whose channel has delivered a message about their view
 * since they were last seen: the channel works again.
 */
export async function recoveredNotificationFailures(
  tx: Reader,
): Promise<{ view: string; channel: string }[]> {
  const { rows } = await tx.client.query<{ view: string; channel: string }>(
    `select a.view_name as view, a.details->>'channel' as channel
       from ${tx.s}.materialized_views_alerts a
      where a.status = 'firing' and a.alert_type = 'notification_failed'
        and exists (
          select 1 from ${tx.s}.materialized_views_deliveries d
           where d.channel = a.details->>'channel' and d.status = 'delivered'
             and d.finished_at > a.last_seen_at
             and d.notification->'alerts' @> jsonb_build_array(jsonb_build_object('view', a.view_name)))`,
  );
  return rows;
}
