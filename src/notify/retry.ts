/** `deliveries retry <id>`: give a finished or waiting delivery a fresh series of attempts, now. */
import type { Db } from '../db/db.js';
import { MvwatchError } from '../errors.js';
import { addJobs, installWorkerSchema, TASKS } from '../jobs/queue.js';
import { silentLogger } from '../log.js';
import type { DeliveryOptions } from './delivery-options.js';
import { type Delivery, deliverJobKey, getDelivery, reopen } from './queries/deliveries.js';

/**
 * Re-opens delivery `id` for `maxAttempts` more attempts and queues the first one now (a pending
 * or retrying delivery just runs sooner). Unknown id: MVW_DELIVERY_NOT_FOUND; already delivered:
 * MVW_DELIVERY_NOT_RETRYABLE.
 */
export async function retryDelivery(
  db: Db,
  delivery: Pick<DeliveryOptions, 'maxAttempts' | 'ws' | 'workerSchema'>,
  id: number,
): Promise<Delivery> {
  await installWorkerSchema(db.pool, delivery.workerSchema, silentLogger);
  return db.transaction(async (client) => {
    const q = { client, s: db.s };
    const d = await getDelivery(q, id, { lock: true });
    if (!d)
      throw new MvwatchError(
        'MVW_DELIVERY_NOT_FOUND',
        `No delivery has id ${id}. List them with \`mvwatch deliveries\`.`,
      );
    if (d.status === 'delivered')
      throw new MvwatchError(
        'MVW_DELIVERY_NOT_RETRYABLE',
        `Delivery #${id} already arrived at ${d.channel}; there is nothing to retry.`,
      );
    const out = (await reopen(q, id, delivery.maxAttempts))!;
    await addJobs(client, delivery.ws, [
      { task: TASKS.deliver, payload: { deliveryId: id }, jobKey: deliverJobKey(id) },
    ]);
    return out;
  });
}
