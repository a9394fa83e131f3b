/**
 * What is never sent, through the real pipeline (alert write → queue → worker → receiver): alerts
 * no route matches, silenced, inhibited, and acknowledged repeats. Each case has a control that is
 * sent, so a pipeline that sends nothing at all fails here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refreshResult } from '../../helpers/runs.js';
import { count, type Receiver, sleep, startReceiver, waitFor, wire } from './helpers.js';

/** Incident ids and transition of each message the receiver got. */
function messages(r: Receiver): { transition: string; ids: number[]; views: string[] }[] {
  return r.requests.map((q) => {
    const body = JSON.parse(q.body);
    return {
      transition: body.transition,
      ids: body.incidents.map((i: { id: number }) => i.id),
      views: body.incidents.map((i: { view: string }) => i.view),
    };
  });
}

/** Long enough for a wrongly queued message to arrive (jobs start within ms of the commit). */
const QUIET_MS = 600;

test('a route that does not match sends nothing; one that matches sends', async () => {
  const receiver = await startReceiver();
  const w = await wire({
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook` } },
    routes: [{ view: 'analytics.*', channels: ['hook'] }],
  });
  await w.worker();
  await w.alerting.alertRefreshFailed('public.sales_mv', 'boom', 'full', 1);
  await sleep(QUIET_MS);
  assert.equal(receiver.requests.length, 0);
  const groups = await count(w.db, 'select count(*)::int as n from :S.materialized_views_notify_groups');
  assert.equal(groups, 0, 'not even a group was created');

  const id = await w.alerting.alertRefreshFailed('analytics.daily_mv', 'boom', 'full', 1);
  await waitFor('the matching alert', () => receiver.requests.length === 1);
  assert.deepEqual(messages(receiver)[0]!.ids, [id]);
});

test('silenced alerts are not sent until the silence ends; then they are, as firing', async () => {
  const receiver = await startReceiver();
  const w = await wire({
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook` } },
    routes: [{ channels: ['hook'] }],
  });
  const worker = await w.worker();
  const silence = await w.alerting.createSilence({
    matchers: { view: 'public.sales_mv' },
    durationMs: 3_600_000,
    createdBy: 'test',
  });
  const silenced = await w.alerting.alertRefreshFailed('public.sales_mv', 'boom', 'full', 1);
  const control = await w.alerting.alertRefreshFailed('public.other_mv', 'boom', 'full', 1);
  await waitFor('the unsilenced control', () => receiver.requests.length === 1);
  await sleep(QUIET_MS);
  assert.deepEqual(messages(receiver), [
    { transition: 'firing', ids: [control], views: ['public.other_mv'] },
  ]);

  await w.alerting.expireSilence(silence.id);
  // The worker's maintenance loop (every 200 ms here) releases it; a manual run may race it, and
  // between them it is released exactly once.
  const report = await worker.maintain();
  await waitFor('the released alert', () => receiver.requests.length === 2);
  assert.ok(
    report.released.length <= 1 && report.released.every((id) => id === silenced),
    'the manual run released it or found it released',
  );
  assert.deepEqual(messages(receiver)[1], {
    transition: 'firing',
    ids: [silenced],
    views: ['public.sales_mv'],
  });
  await sleep(QUIET_MS);
  assert.equal(receiver.requests.length, 2, 'released once');
});

test('inhibited alerts are not sent: a failed refresh explains its checks', async () => {
  const receiver = await startReceiver();
  const w = await wire({
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook` } },
    routes: [{ channels: ['hook'], groupBy: ['...'] }],
  });
  await w.worker();
  const refresh = refreshResult('public.sales_mv', 'failed', { durationMs: 5 });
  const ids = await w.alerting.observeRun({
    refresh,
    checks: [{ check: 'nulls', kind: 'null_check', status: 'error', message: '10% nulls', details: {} }],
  });
  assert.equal(ids.length, 2, 'both incidents were recorded');
  const [inhibited] = await w.alerting.getAlertHistory({ type: 'null_values_detected' });
  assert.ok(inhibited?.inhibitedBy, 'the check alert is inhibited');
  await waitFor('the refresh alert', () => receiver.requests.length === 1);
  await sleep(QUIET_MS);
  assert.equal(
    receiver.requests.length,
    1,
    'one message: groupBy ... would have made the inhibited one its own',
  );
  assert.deepEqual(messages(receiver)[0]!.ids, [inhibited!.inhibitedBy]);
});

test('acknowledged: repeats are not sent, an escalation is; unacknowledged repeats are', async () => {
  const receiver = await startReceiver();
  const w = await wire({
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook` } },
    routes: [{ channels: ['hook'], groupInterval: '50ms', repeatInterval: '1ms' }],
  });
  await w.worker();
  const fail = (view: string) => w.alerting.alertRefreshFailed(view, 'boom', 'full', 1);
  const acked = await fail('public.acked_mv');
  await waitFor('the first firing', () => receiver.requests.length === 1);
  await w.alerting.acknowledgeAlert(acked, 'alice', 'looking');
  await fail('public.acked_mv');
  await sleep(QUIET_MS);
  assert.equal(receiver.requests.length, 1, 'the acknowledged repeat was not sent');
  await fail('public.acked_mv'); // the third consecutive failure escalates to critical
  await waitFor('the escalation', () => receiver.requests.length === 2);
  assert.deepEqual(
    messages(receiver).map((m) => [m.transition, m.ids]),
    [
      ['firing', [acked]],
      ['escalated', [acked]],
    ],
  );

  const open = await fail('public.open_mv');
  await waitFor('its firing', () => receiver.requests.length === 3);
  await sleep(100);
  await fail('public.open_mv');
  await waitFor('the unacknowledged repeat', () => receiver.requests.length === 4);
  assert.deepEqual(messages(receiver)[3], { transition: 'repeat', ids: [open], views: ['public.open_mv'] });
});
