/**
 * A receiver that never answers: each attempt times out and is retried; after the last one the
 * delivery is dead, the route's fallback channel receives the same notification, and a
 * `notification_failed` alert exists. Its own notification dies too (same dead receiver) and
 * raises nothing further: no failure loop.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listAttempts } from '../../../src/notify/queries/deliveries.js';
import { FAST_DELIVERY, rows, sleep, startReceiver, waitFor, wire } from './helpers.js';

interface Row {
  id: number;
  channel: string;
  status: string;
  attempts: number;
  fallback_of: number | null;
  notification_id: string;
  transition: string;
  types: string[];
}

test('timeouts, retries, dead, fallback, notification_failed, and no loop', async () => {
  const hung = await startReceiver(() => {});
  const backup = await startReceiver((_r, res) => void res.writeHead(204).end());
  const w = await wire({
    channels: {
      primary: { type: 'webhook', url: `${hung.base}/hook`, timeout: '150ms' },
      backup: { type: 'webhook', url: `${backup.base}/hook` },
    },
    routes: [{ channels: ['primary'], fallback: 'backup', groupInterval: '100ms' }],
    delivery: { ...FAST_DELIVERY, maxAttempts: 3 },
  });
  await w.worker();
  const alertId = await w.alerting.alertRefreshFailed('public.sales_mv', 'boom', 'full', 1);

  const list = () =>
    rows<Row>(
      w.db,
      `select d.id, d.channel, d.status, d.attempts, d.fallback_of, d.notification_id, d.transition,
              array(select jsonb_array_elements(d.notification->'alerts')->>'type') as types
         from :S.materialized_views_deliveries d order by d.id`,
    );
  // refresh alert → primary (dead) → backup; notification_failed → primary (dead) → backup.
  const all = await waitFor(
    'four deliveries settled',
    async () => {
      const r = await list();
      return r.length === 4 && r.every((d) => d.status === 'delivered' || d.status === 'dead') ? r : null;
    },
    20_000,
  );
  const [first, firstFallback, failedAlert, failedFallback] = all;
  assert.deepEqual(
    all.map((d) => [d.channel, d.status, d.types[0]]),
    [
      ['primary', 'dead', 'refresh_failed'],
      ['backup', 'delivered', 'refresh_failed'],
      ['primary', 'dead', 'notification_failed'],
      ['backup', 'delivered', 'notification_failed'],
    ],
  );
  assert.equal(first!.attempts, 3);
  assert.equal(firstFallback!.fallback_of, first!.id);
  assert.equal(
    firstFallback!.notification_id,
    first!.notification_id,
    'the fallback carries the same idempotency key',
  );
  assert.equal(failedFallback!.fallback_of, failedAlert!.id);

  const log = await listAttempts({ client: w.db.pool, s: w.db.s }, first!.id);
  assert.deepEqual(
    log.map((a) => a.status),
    ['retrying', 'retrying', 'dead'],
  );
  assert.ok(
    log.every((a) => /timed out after 150 ms/.test(a.error ?? '')),
    'each attempt timed out',
  );
  assert.equal(hung.requests.length, 6, 'three attempts per dead delivery');
  const ids = new Set(hung.requests.slice(0, 3).map((r) => r.headers['webhook-id']));
  assert.equal(ids.size, 1);
  assert.deepEqual(
    backup.requests.map((r) => r.headers['webhook-id']),
    [first!.notification_id, failedAlert!.notification_id],
  );

  const [failed] = await w.alerting.getAlertHistory({ type: 'notification_failed' });
  assert.ok(failed, 'a notification_failed alert exists');
  assert.equal(failed.view, 'public.sales_mv');
  assert.equal(failed.status, 'firing');
  assert.match(failed.message, /could not be delivered to primary: gave up after 3 attempt\(s\)/);
  assert.equal((failed.details as { delivery_id: number }).delivery_id, first!.id);

  // Let the maintenance loop and any stray job run: nothing new may appear.
  await sleep(1_000);
  assert.equal((await list()).length, 4, 'no further deliveries');
  const again = await w.alerting.getAlert(failed.id);
  assert.equal(again.occurrences, 1, 'the dead notification_failed message raised no further alert');
  assert.notEqual(failed.id, alertId);
});
