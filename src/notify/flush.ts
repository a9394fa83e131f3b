/**
 * Flushing one aggregation group (a job): decide what is news, turn it into ONE notification, and
 * queue one delivery per channel, all in one transaction under the group's row lock. A worker
 * that dies mid-flush rolls it back and the job runs again.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.js';
import { addJobs, TASKS } from '../jobs/queue.js';

import type { DeliveryOptions } from './delivery-options.js';
import { planFlush } from './grouping.js';
import { flushJobKey } from './notifier.js';
import { insertDeliveries } from './queries/deliveries.js';
import { lockGroup, recordFlush } from './queries/groups.js';
import type { Notification, NotifiedAlert } from './types.js';

/** What a flush needs. */
export interface FlushContext {
  db: Db;
  delivery: Pick<DeliveryOptions, 'maxAttempts' | 'ws'>;
  /** Base URL of the dashboard (`server.publicUrl`); links are left out without it. */
  dashboardUrl?: string;
}

/** A flush job that finds itself more than this early re-queues itself for the scheduled time. */
const EARLY_TOLERANCE_MS = 50;

/** Flushes group `groupId`; returns the ids of the deliveries it queued (none when nothing was news). */
export async function flushGroup(ctx: FlushContext, groupId: number): Promise<number[]> {
  const { db } = ctx;
  return db.transaction(async (client) => {
    const q = { client, s: db.s };
    const locked = await lockGroup(q, groupId);
    // Gone, or already flushed by an earlier run of a replaced job.
    if (!locked?.group.nextFlushAt) return [];
    const { now, group } = locked;
    const due = group.nextFlushAt!;
    if (due.getTime() > now.getTime() + EARLY_TOLERANCE_MS) {
      await addJobs(client, ctx.delivery.ws, [
        { task: TASKS.flush, payload: { groupId }, runAt: due, jobKey: flushJobKey(groupId) },
      ]);
      return [];
    }
    const members = locked.pending;
    const byId = new Map(members.map((m) => [m.alertId, m]));
    const plan = planFlush(members);
    const sent = plan.send.map((id) => byId.get(id)!.alert);
    await recordFlush(q, groupId, now, {
      sentFiring: sent.filter((a) => a.status === 'firing').map((a) => a.id),
      // A resolved incident is over: nothing more will be said about it in this group.
      forget: [...plan.drop, ...sent.filter((a) => a.status !== 'firing').map((a) => a.id)],
      sent: sent.length > 0,
    });
    if (!sent.length || !plan.transition) return [];
    const notification: Notification = {
      id: `ntf_${randomUUID()}`,
      groupKey: group.key,
      transition: plan.transition,
      alerts: sent,
      groupLabels: group.labels,
      locale: group.settings.locale,
      ...(ctx.dashboardUrl ? { dashboardUrl: dashboardLink(ctx.dashboardUrl, sent) } : {}),
      createdAt: now.toISOString(),
    };
    return insertDeliveries(
      q,
      group.settings.channels.map((channel) => ({
        notification,
        channel,
        route: group.route,
        maxAttempts: ctx.delivery.maxAttempts,
        fallback: group.settings.fallback,
      })),
      { ws: ctx.delivery.ws },
    );
  });
}

/** The incident's page for one alert, the alert list for several. */
function dashboardLink(base: string, alerts: readonly NotifiedAlert[]): string {
  const root = base.replace(/\/+$/, '');
  return alerts.length === 1 ? `${root}/#/alerts/${alerts[0]!.id}` : `${root}/#/alerts`;
}
