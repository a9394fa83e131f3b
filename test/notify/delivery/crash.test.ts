/**
 * A worker killed with SIGKILL in the middle of a delivery, then another worker started: the
 * message arrives, with the same idempotency key. The dead worker's job is freed at once because
 * its liveness lock vanished with its connection (src/jobs/liveness.ts), not after graphile-worker's
 * 4-hour stale-lock timeout.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAST_DELIVERY, rows, spawnCli, startReceiver, waitFor, wire, writeConfig } from './helpers.js';

test('SIGKILL mid-delivery, restart: delivered with the same webhook-id', async () => {
  const receiver = await startReceiver((_req, res, i) => {
    // The first request is held open: the worker is killed while it waits for the answer.
    if (i === 0) return;
    res.writeHead(200).end('ok');
  });
  const notify = {
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook`, timeout: '60s' } },
    routes: [{ channels: ['hook'] }],
    delivery: FAST_DELIVERY,
  };
  const w = await wire(notify);
  const config = writeConfig({ notify });
  const env = { DATABASE_URL: w.url };

  await w.alerting.alertRefreshFailed('public.sales_mv', 'boom', 'full', 1);
  const first = spawnCli(['--config', config, 'worker'], env);
  await waitFor('the first request', () => receiver.requests.length >= 1, 30_000);
  first.kill('SIGKILL');
  assert.equal((await first.exited).signal, 'SIGKILL');
  const [locked] = await rows<{ locked_by: string | null }>(
    w.db,
    `select locked_by from mvwatch_worker.jobs where task_identifier = 'mvwatch_notify_deliver'`,
  );
  assert.ok(locked?.locked_by, 'the killed worker left its job locked');

  const second = spawnCli(['--config', config, '--log-level', 'debug', 'worker'], env);
  await waitFor('the redelivery', () => receiver.requests.length >= 2, 30_000);
  const [d] = await waitFor('the delivered row', () =>
    rows<{ notification_id: string; attempts: number }>(
      w.db,
      `select notification_id, attempts from :S.materialized_views_deliveries where status = 'delivered'`,
    ).then((r) => (r.length ? r : null)),
  );
  const [a, b] = receiver.requests;
  assert.equal(a!.headers['webhook-id'], b!.headers['webhook-id'], 'same idempotency key after the crash');
  assert.equal(d!.notification_id, a!.headers['webhook-id']);
  assert.equal(d!.attempts, 1, 'the killed attempt never finished, so it is not in the log');
  assert.match(second.output(), /recovered jobs of dead workers/);

  second.kill('SIGTERM');
  assert.equal((await second.exited).code, 0, 'SIGTERM stops the worker cleanly');
});
