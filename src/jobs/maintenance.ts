/**
 * What a worker does periodically besides running jobs: notify incidents whose silence ended,
 * recover jobs of dead workers, re-queue overdue group flushes, prune bookkeeping. Each step is
 * safe in any number of processes at once, and a failing step is logged, never thrown (STYLE §10).
 */
import type { MaterializedViewAlerting } from '../alerts/alerting.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../log.js';
import type { DeliveryOptions } from '../notify/delivery-options.js';
import { flushJobKey } from '../notify/notifier.js';
import { overdueGroups, pruneMembers } from '../notify/queries/groups.js';
import { pruneRateEvents } from '../notify/rate-limit.js';
import { recoverAbandonedJobs } from './liveness.js';
import { addJobs, TASKS } from './queue.js';

/** A flush this late lost its job (or the job failed for good): queue it again. */
const OVERDUE_FLUSH_MS = 60_000;

/** What one pass did. */
export interface MaintenanceReport {
  /** Pool ids of dead workers whose jobs were freed. */
  recovered: string[];
  /** Incidents notified because their silence ended. */
  released: number[];
  /** Groups whose flush was re-queued. */
  requeued: number;
  /** Views whose `notification_failed` resolved: their channel delivered again. */
  recoveredNotifications: string[];
}

/** What a pass needs. */
export interface MaintenanceContext {
  db: Db;
  alerting: Pick<MaterializedViewAlerting, 'releaseEndedSilences' | 'resolveRecoveredNotificationFailures'>;
  delivery: Pick<DeliveryOptions, 'ws' | 'recoveryGraceMs'>;
  log: Logger;
}

/** Runs one maintenance pass. */
export async function maintain(ctx: MaintenanceContext): Promise<MaintenanceReport> {
  const { db, log, delivery } = ctx;
  const report: MaintenanceReport = { recovered: [], released: [], requeued: 0, recoveredNotifications: [] };
  const step = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      log.error(`worker maintenance: ${name} failed`, { error: (e as Error).message });
    }
  };
  await step('recovering abandoned jobs', async () => {
    report.recovered = await recoverAbandonedJobs(db, delivery.ws, delivery.recoveryGraceMs);
    if (report.recovered.length) log.warn('recovered jobs of dead workers', { pools: report.recovered });
  });
  await step('releasing ended silences', async () => {
    report.released = (await ctx.alerting.releaseEndedSilences()).map((a) => a.id);
  });
  await step('resolving notification failures', async () => {
    report.recoveredNotifications = await ctx.alerting.resolveRecoveredNotificationFailures();
  });
  await step('re-queuing overdue flushes', async () => {
    const q = { client: db.pool, s: db.s };
    const overdue = await overdueGroups(q, OVERDUE_FLUSH_MS);
    report.requeued = overdue.length;
    if (!overdue.length) return;
    const client = await db.pool.connect();
    try {
      await addJobs(
        client,
        delivery.ws,
        overdue.map((g) => ({ task: TASKS.flush, payload: { groupId: g.id }, jobKey: flushJobKey(g.id) })),
      );
    } finally {
      client.release();
    }
  });
  await step('pruning', async () => {
    await pruneRateEvents(db);
    await pruneMembers({ client: db.pool, s: db.s });
  });
  return report;
}
