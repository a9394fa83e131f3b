/** The graphile-worker task list of the notification pipeline: thin adapters over src/notify. */
import type { Task, TaskList } from 'graphile-worker';
import type { MaterializedViewAlerting } from '../alerts/alerting.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../log.js';
import type { ChannelRegistry } from '../notify/channel-registry.js';
import { deliverOnce } from '../notify/deliver.js';
import type { DeliveryOptions } from '../notify/delivery-options.js';
import { raiseDeliveryFailure } from '../notify/failure.js';
import { flushGroup } from '../notify/flush.js';
import { TASKS } from './queue.js';

/** What the tasks share. */
export interface NotifyTaskContext {
  db: Db;
  delivery: DeliveryOptions;
  channels: ChannelRegistry;
  alerting: Pick<MaterializedViewAlerting, 'alertNotificationFailed'>;
  log: Logger;
  /** Base URL of the dashboard for links in messages (default none). */
  dashboardUrl?: string;
}

/** A positive integer field of a job payload; a malformed job fails loudly instead of doing something else. */
function idOf(payload: unknown, field: string): number {
  const v = (payload as Record<string, unknown> | null)?.[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
    throw new Error(`job payload has no valid ${field}`);
  return v;
}

/** The tasks, keyed by identifier (merge with other task lists to run them in one worker). */
export function notifyTasks(ctx: NotifyTaskContext): TaskList {
  const flush: Task = async (payload) => {
    await flushGroup(ctx, idOf(payload, 'groupId'));
  };
  const deliver: Task = async (payload, helpers) => {
    await deliverOnce(ctx, idOf(payload, 'deliveryId'), helpers.abortSignal);
  };
  const failed: Task = async (payload) => {
    await raiseDeliveryFailure(ctx.db, ctx.alerting, idOf(payload, 'deliveryId'));
  };
  return { [TASKS.flush]: flush, [TASKS.deliver]: deliver, [TASKS.failed]: failed };
}
