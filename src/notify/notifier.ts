/**
 * The front of the notify pipeline, run by the alert writer INSIDE its transaction:
 * suppress (inhibit, silence, acknowledged repeat) → route → group + dedup → schedule the group's
 * flush with graphile-worker's `add_jobs` on the same client. Roll the alert back and nothing is
 * queued; commit and the flush runs even if this process dies the next instant.
 */
import type pg from 'pg';
import type { AlertTransitionEvent, TransitionHook } from '../alerts/events.js';
import type { Db } from '../db/db.js';
import { addJobs, installWorkerSchema, type JobSpec, TASKS } from '../jobs/queue.js';
import { type Logger, silentLogger } from '../log.js';
import type { NotifyConfig } from './config.js';
import { type DeliveryOptions, deliveryOptions } from './delivery-options.js';
import { flushAt, nextPending } from './grouping.js';
import {
  type GroupSettings,
  type GroupUpsert,
  type MemberWrite,
  upsertGroups,
  writeMembers,
} from './queries/groups.js';
import { groupOf, type Route, resolveRoutes, routesFor } from './routing.js';
import { suppressionOf } from './suppress.js';
import type { NotifiedAlert, Transition } from './types.js';

/** The job key of a group's flush: one pending flush per group, however many alerts arrive. */
export function flushJobKey(groupId: number): string {
  return `mvwatch:flush:${groupId}`;
}

/** What createNotifier returns. */
export interface Notifier {
  /** Pass to `new MaterializedViewAlerting(db, { onTransitions })`. */
  readonly onTransitions: TransitionHook;
  /** The resolved routes, in order. */
  readonly routes: readonly Route[];
  readonly delivery: DeliveryOptions;
  /** Installs graphile-worker's schema (done lazily by the first transition otherwise). */
  prepare(): Promise<void>;
}

/** Options of createNotifier. */
export interface NotifierOptions {
  /** Default: silent. */
  log?: Logger;
}

/** One routed transition. */
interface Routed {
  route: Route;
  groupKey: string;
  groupLabels: Record<string, string>;
  alert: NotifiedAlert;
  transition: Transition;
}

/**
 * Builds the transition hook for `config.notify` (routes, delivery settings). With no channel
 * configured the hook does nothing at all: no table is touched.
 */
export function createNotifier(
  db: Db,
  config: { notify: NotifyConfig },
  options: NotifierOptions = {},
): Notifier {
  const routes = resolveRoutes(config.notify);
  const delivery = deliveryOptions(config.notify);
  const log = options.log ?? silentLogger;
  const prepare = () => installWorkerSchema(db.pool, delivery.workerSchema, log);

  async function onTransitions(client: pg.ClientBase, events: AlertTransitionEvent[]): Promise<void> {
    if (!routes.length) return;
    const routed = route(routes, events);
    if (!routed.length) return;
    await prepare();
    await enqueue({ client, s: db.s }, delivery.ws, routed);
  }

  return { onTransitions, routes, delivery, prepare };
}

/** The suppress and route stages over a batch, in event order. Pure. */
export function route(routes: readonly Route[], events: readonly AlertTransitionEvent[]): Routed[] {
  const out: Routed[] = [];
  for (const e of events) {
    if (suppressionOf(e)) continue;
    const target = { view: e.alert.view, type: e.alert.type, severity: e.alert.severity, labels: e.labels };
    for (const r of routesFor(routes, target)) {
      // A route without channels drops what it matches (Alertmanager's empty receiver).
      if (!r.channels.length) continue;
      const g = groupOf(r, e.alert.id, target);
      out.push({
        route: r,
        groupKey: g.key,
        groupLabels: g.labels,
        alert: { ...e.alert, labels: e.labels },
        transition: e.transition,
      });
    }
  }
  return out;
}

function settingsOf(r: Route): GroupSettings {
  return {
    channels: [...r.channels],
    groupWaitMs: r.groupWaitMs,
    groupIntervalMs: r.groupIntervalMs,
    repeatIntervalMs: r.repeatIntervalMs,
    sendResolved: r.sendResolved,
    fallback: r.fallback ?? null,
    locale: r.locale,
  };
}

/** Group + dedup, then one flush job per group whose flush this write schedules. Two or three statements. */
async function enqueue(
  q: { client: pg.ClientBase; s: string },
  ws: string,
  routed: readonly Routed[],
): Promise<void> {
  const byKey = new Map<string, GroupUpsert>();
  for (const r of routed)
    byKey.set(r.groupKey, {
      key: r.groupKey,
      route: r.route.key,
      labels: r.groupLabels,
      settings: settingsOf(r.route),
    });
  const {
    now,
    rows,
    members: states,
  } = await upsertGroups(q, [...byKey.values()], [...new Set(routed.map((r) => r.alert.id))]);
  const groups = new Map(rows.map((g) => [g.key, g]));
  const pairs = routed.map((r) => ({ groupId: groups.get(r.groupKey)!.id, alertId: r.alert.id }));

  // Fold the batch in order: one incident may open, repeat and resolve within one write.
  const members = new Map<string, MemberWrite>();
  routed.forEach((r, i) => {
    const pair = pairs[i]!;
    const id = `${pair.groupId}:${pair.alertId}`;
    const state = states.get(id);
    const pending = nextPending(state, r.transition, r.route, now);
    states.set(id, {
      notifiedAt: state?.notifiedAt ?? null,
      notifiedStatus: state?.notifiedStatus ?? null,
      pending,
    });
    members.set(id, { groupId: pair.groupId, alertId: pair.alertId, alert: r.alert, pending });
  });

  const withNews = new Set([...members.values()].filter((m) => m.pending !== null).map((m) => m.groupId));
  const flushes: { groupId: number; at: Date }[] = [];
  const jobs: JobSpec[] = [];
  for (const g of groups.values()) {
    // Already scheduled: that job will see these members too (the group row lock orders us).
    if (!withNews.has(g.id) || g.nextFlushAt) continue;
    const at = flushAt(g, g.settings, now);
    flushes.push({ groupId: g.id, at });
    jobs.push({ task: TASKS.flush, payload: { groupId: g.id }, runAt: at, jobKey: flushJobKey(g.id) });
  }
  await writeMembers(q, [...members.values()], flushes);
  await addJobs(q.client, ws, jobs);
}
