/**
 * The delivery job is queued in the alert's own transaction: when that transaction rolls back,
 * neither the alert nor its job exists and nothing is ever received.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MaterializedViewAlerting } from '../../../src/alerts/alerting.js';
import { rows, sleep, startReceiver, waitFor, wire } from './helpers.js';

const jobs = (w: Awaited<ReturnType<typeof wire>>) =>
  rows<{ n: number }>(w.db, 'select count(*)::int as n from mvwatch_worker.jobs').then((r) => r[0]!.n);

test('rolled back: no alert, no job, nothing received; committed: all three', async () => {
  const receiver = await startReceiver();
  const w = await wire({
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook` } },
    routes: [{ channels: ['hook'] }],
  });
  // Something later in the same alert transaction fails after the notifier queued its job.
  const failing = new MaterializedViewAlerting(w.db, {
    onTransitions: async (client, events) => {
      await w.notifier.onTransitions(client, events);
      assert.equal(await jobs(w), 0, 'the queued job is invisible outside the transaction');
      const inside = await client.query(`select count(*)::int as n from mvwatch_worker.jobs`);
      assert.equal(inside.rows[0].n, 1, 'the job was queued on the alert transaction');
      throw new Error('disk full');
    },
  });
  await assert.rejects(failing.alertRefreshFailed('public.sales_mv', 'boom', 'full', 1), /disk full/);
  assert.equal(await jobs(w), 0);
  assert.deepEqual(await w.alerting.getAlertHistory(), []);
  await w.worker();
  await sleep(500);
  assert.equal(receiver.requests.length, 0);

  const id = await w.alerting.alertRefreshFailed('public.sales_mv', 'boom', 'full', 1);
  await waitFor('the committed alert', () => receiver.requests.length === 1);
  assert.equal(JSON.parse(receiver.requests[0]!.body).incidents[0].id, id);
});

test('queued before the worker exists: a job survives its writer and runs once a worker starts', async () => {
  const receiver = await startReceiver();
  const w = await wire({
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook` } },
    routes: [{ channels: ['hook'] }],
  });
  await w.alerting.alertRefreshFailed('public.sales_mv', 'boom', 'full', 1);
  assert.equal(await jobs(w), 1, 'committed with the alert');
  const worker = await w.worker({ once: true });
  await worker.done;
  assert.equal(receiver.requests.length, 1, '--once drained the flush and the delivery it queued');
  assert.equal(await jobs(w), 0);
});

test('once with a wait: stop() ends the wait for a later retry; the retry stays queued', async () => {
  const receiver = await startReceiver((_r, res) => void res.writeHead(503).end());
  const w = await wire({
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook` } },
    routes: [{ channels: ['hook'] }],
    delivery: { backoff: '20s', maxBackoff: '20s', maxAttempts: 3 },
  });
  await w.alerting.alertRefreshFailed('public.sales_mv', 'boom', 'full', 1);
  const worker = await w.worker({ once: true, onceWaitMs: 60_000 });
  const attempts = () =>
    rows<{ status: string; attempts: number }>(
      w.db,
      'select status, attempts from :S.materialized_views_deliveries',
    ).then((r) => r[0]);
  await waitFor('the first attempt', async () => (await attempts())?.attempts === 1);
  await worker.stop();
  await worker.done;
  assert.deepEqual(await attempts(), { status: 'retrying', attempts: 1 }, 'stopped before the retry');
  assert.equal(await jobs(w), 1, 'the retry is still queued for the next worker');
});
