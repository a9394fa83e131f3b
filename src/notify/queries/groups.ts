/** SQL of `materialized_views_notify_groups` and `materialized_views_notify_members`. */
import type pg from 'pg';
import type { MemberState } from '../grouping.js';
import type { NotifiedAlert, Transition } from '../types.js';

/** A client and the quoted state schema. */
export interface Q {
  /** A transaction's client, or the pool for a lone read. */
  client: pg.ClientBase | pg.Pool;
  s: string;
}

/** The route settings a group keeps (what a flush needs without the alert writer's config). */
export interface GroupSettings {
  channels: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  sendResolved: boolean;
  fallback: string | null;
  locale: 'en' | 'zh';
}

/** A group as stored. */
export interface GroupRow {
  id: number;
  key: string;
  route: string;
  labels: Record<string, string>;
  settings: GroupSettings;
  nextFlushAt: Date | null;
  lastFlushAt: Date | null;
}

/** A group to create or refresh. */
export interface GroupUpsert {
  key: string;
  route: string;
  labels: Record<string, string>;
  settings: GroupSettings;
}

// biome-ignore lint/suspicious/noExplicitAny: a row straight from pg
function toGroup(r: any): GroupRow {
  return {
    id: r.id,
    key: r.group_key,
    route: r.route,
    labels: r.group_labels,
    settings: r.settings,
    nextFlushAt: r.next_flush_at,
    lastFlushAt: r.last_flush_at,
  };
}

/**
 * Creates or refreshes groups and locks their rows until the transaction ends: every change to a
 * group's members happens under this lock, so writers and flushes of one group take turns. Keys
 * are locked in sorted order (no deadlocks between two writers). In the same statement, reads
 * the state of the incidents `alertIds` in those groups (keyed `groupId:alertId`), and the
 * database clock.
 */
export async function upsertGroups(
  q: Q,
  groups: readonly GroupUpsert[],
  alertIds: readonly number[],
): Promise<{ now: Date; rows: GroupRow[]; members: Map<string, MemberState> }> {
  const sorted = [...groups].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const { rows } = await q.client.query(
    `with input as (
       select * from json_to_recordset($1::json) as g(key text, route text, labels jsonb, settings jsonb)),
     up as (
       insert into ${q.s}.materialized_views_notify_groups as t (group_key, route, group_labels, settings)
       select key, route, labels, settings from input order by key
       on conflict (group_key) do update set settings = excluded.settings, group_labels = excluded.group_labels
       returning t.*)
     select up.*, clock_timestamp() as now,
            (select coalesce(json_agg(json_build_object('alert_id', m.alert_id, 'pending', m.pending,
                      'notified_at', m.notified_at, 'notified_status', m.notified_status)), '[]')
               from ${q.s}.materialized_views_notify_members m
              where m.group_id = up.id and m.alert_id = any($2::int8[])) as members
       from up`,
    [JSON.stringify(sorted), alertIds],
  );
  const members = new Map<string, MemberState>();
  for (const r of rows)
    for (const m of r.members)
      members.set(`${r.id}:${m.alert_id}`, {
        pending: m.pending,
        notifiedAt: m.notified_at ? new Date(m.notified_at) : null,
        notifiedStatus: m.notified_status,
      });
  return { now: rows[0]?.now ?? new Date(), rows: rows.map(toGroup), members };
}

/** A member's new state from one write. */
export interface MemberWrite {
  groupId: number;
  alertId: number;
  alert: NotifiedAlert;
  pending: Transition | null;
}

/**
 * Stores members (snapshot and pending news) and the groups' flush dates in one statement.
 * `flushes` are groups whose next flush is set by this write.
 */
export async function writeMembers(
  q: Q,
  members: readonly MemberWrite[],
  flushes: readonly { groupId: number; at: Date }[],
): Promise<void> {
  await q.client.query(
    `with m as (
       insert into ${q.s}.materialized_views_notify_members (group_id, alert_id, alert, pending)
       select group_id, alert_id, alert, pending
         from json_to_recordset($1::json) as r(group_id int8, alert_id int8, alert jsonb, pending text)
       on conflict (group_id, alert_id) do update set alert = excluded.alert, pending = excluded.pending
       returning 1),
     g as (
       update ${q.s}.materialized_views_notify_groups t set next_flush_at = f.at
         from unnest($2::int8[], $3::timestamptz[]) as f(id, at) where t.id = f.id
       returning 1)
     select (select count(*) from m) as members, (select count(*) from g) as groups`,
    [
      JSON.stringify(
        members.map((m) => ({
          group_id: m.groupId,
          alert_id: m.alertId,
          alert: m.alert,
          pending: m.pending,
        })),
      ),
      flushes.map((f) => f.groupId),
      flushes.map((f) => f.at.toISOString()),
    ],
  );
}

/** A member with news, as a flush reads it. */
export interface PendingMember extends MemberState {
  alertId: number;
  alert: NotifiedAlert;
}

/**
 * Locks one group for a flush and reads its members with news, in one statement; null when the
 * group no longer exists. Also returns the database clock.
 */
export async function lockGroup(
  q: Q,
  id: number,
): Promise<{ now: Date; group: GroupRow; pending: PendingMember[] } | null> {
  const { rows } = await q.client.query(
    `select g.*, clock_timestamp() as now,
            (select coalesce(json_agg(json_build_object('alert_id', m.alert_id, 'alert', m.alert, 'pending', m.pending,
                      'notified_at', m.notified_at, 'notified_status', m.notified_status) order by m.alert_id), '[]')
               from ${q.s}.materialized_views_notify_members m
              where m.group_id = g.id and m.pending is not null) as pending
       from ${q.s}.materialized_views_notify_groups g where id = $1 for update of g`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  const pending: PendingMember[] = r.pending.map(
    // biome-ignore lint/suspicious/noExplicitAny: one element of the json_agg above
    (m: any): PendingMember => ({
      alertId: m.alert_id,
      alert: m.alert,
      pending: m.pending,
      notifiedAt: m.notified_at ? new Date(m.notified_at) : null,
      notifiedStatus: m.notified_status,
    }),
  );
  return { now: r.now, group: toGroup(r), pending };
}

/**
 * Records a flush: sent members are marked notified at `now` (resolved ones are forgotten, their
 * incident is over), dropped members are forgotten, the group's flush is cleared.
 */
export async function recordFlush(
  q: Q,
  groupId: number,
  now: Date,
  plan: { sentFiring: number[]; forget: number[]; sent: boolean },
): Promise<void> {
  await q.client.query(
    `with f as (
       update ${q.s}.materialized_views_notify_members set pending = null, notified_at = $2, notified_status = 'firing'
        where group_id = $1 and alert_id = any($3::int8[]) returning 1),
     d as (
       delete from ${q.s}.materialized_views_notify_members where group_id = $1 and alert_id = any($4::int8[])
       returning 1)
     update ${q.s}.materialized_views_notify_groups
        set next_flush_at = null, last_flush_at = case when $5 then $2 else last_flush_at end
      where id = $1`,
    [groupId, now, plan.sentFiring, plan.forget, plan.sent],
  );
}

/** Groups whose flush is overdue by `graceMs` (a lost or failed flush job): the maintenance loop re-queues them. */
export async function overdueGroups(q: Q, graceMs: number): Promise<{ id: number; at: Date }[]> {
  const { rows } = await q.client.query(
    `select id, next_flush_at from ${q.s}.materialized_views_notify_groups
      where next_flush_at < now() - $1 * interval '1 ms' order by next_flush_at limit 1000`,
    [graceMs],
  );
  return rows.map((r) => ({ id: r.id, at: r.next_flush_at }));
}

/** Forgets members with nothing pending whose incident has resolved (it was resolved while silenced). */
export async function pruneMembers(q: Q): Promise<number> {
  const { rowCount } = await q.client.query(
    `delete from ${q.s}.materialized_views_notify_members m using ${q.s}.materialized_views_alerts a
      where m.pending is null and a.id = m.alert_id and a.status = 'resolved'`,
  );
  return rowCount ?? 0;
}
