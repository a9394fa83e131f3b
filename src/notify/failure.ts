/**
 * The last stage of a dead delivery: a `notification_failed` alert, raised through the alert
 * lifecycle like any other (so it dedups, routes and can reach a working channel). A notification
 * that only reports notification failures raises nothing when it dies: no failure loop.
 */
import type { MaterializedViewAlerting } from '../alerts/alerting.js';
import type { Db } from '../db/db.js';
import { onlyAboutNotifications } from './deliver.js';
import { getDelivery } from './queries/deliveries.js';

/** A group by type may span hundreds of views: one alert each for the first 20 is plenty. */
const MAX_VIEWS = 20;

/**
 * Raises `notification_failed` on each view the failed delivery was about. Returns the incident
 * ids (none when the delivery did not fail, or only reported notification failures).
 */
export async function raiseDeliveryFailure(
  db: Db,
  alerting: Pick<MaterializedViewAlerting, 'alertNotificationFailed'>,
  deliveryId: number,
): Promise<number[]> {
  const d = await getDelivery({ client: db.pool, s: db.s }, deliveryId);
  if (!d || (d.status !== 'dead' && d.status !== 'failed') || onlyAboutNotifications(d.notification))
    return [];
  const firstByView = new Map<string, (typeof d.notification.alerts)[number]>();
  for (const a of d.notification.alerts) if (!firstByView.has(a.view)) firstByView.set(a.view, a);
  const ids: number[] = [];
  for (const [view, alert] of [...firstByView].slice(0, MAX_VIEWS)) {
    const reason = `${d.status === 'dead' ? `gave up after ${d.attempts} attempt(s)` : 'refused'}: ${d.lastError ?? 'unknown error'}`;
    ids.push(
      await alerting.alertNotificationFailed(
        view,
        d.channel,
        reason,
        {
          delivery_id: d.id,
          notification_id: d.notificationId,
          delivery_status: d.status,
          attempts: d.attempts,
          status_code: d.lastStatusCode,
          fallback: d.fallback,
        },
        alert.labels ?? {},
      ),
    );
  }
  return ids;
}
