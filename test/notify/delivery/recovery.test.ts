/**
 * A channel that refused a notification and then works again: once a later message about the same
 * view reaches it, the worker's maintenance loop resolves that view's `notification_failed`
 * incident. An incident naming another, still broken channel keeps firing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startReceiver, waitFor, wire } from './helpers.js';

test('notification_failed resolves once the channel delivers again; one naming another channel stays', async () => {
  let broken = true;
  // 400 is permanent: each delivery fails at its first attempt, so the test needs no retries.
  const flaky = await startReceiver((_r, res) => void res.writeHead(broken ? 400 : 204).end());
  const dead = await startReceiver((_r, res) => void res.writeHead(400).end());
  const w = await wire({
    channels: {
      primary: { type: 'webhook', url: `${flaky.base}/hook` },
      other: { type: 'webhook', url: `${dead.base}/hook` },
    },
    routes: [
      { view: 'public.b*', channels: ['other'], groupInterval: '100ms' },
      { channels: ['primary'], groupInterval: '100ms' },
    ],
  });
  await w.worker();
  await w.alerting.alertRefreshFailed('public.sales_mv', 'boom', 'full', 1);
  await w.alerting.alertRefreshFailed('public.b1', 'boom', 'full', 1);
  const failing = () => w.alerting.getAlertHistory({ type: 'notification_failed' });
  const [forOther, forPrimary] = await waitFor('two notification_failed incidents', async () => {
    const list = await failing();
    return list.length === 2 ? list.sort((a, b) => a.view.localeCompare(b.view)) : null;
  });
  assert.deepEqual(
    [forOther!.view, forOther!.details.channel, forPrimary!.view, forPrimary!.details.channel],
    ['public.b1', 'other', 'public.sales_mv', 'primary'],
  );

  broken = false;
  await w.alerting.alertDataQualityIssue('public.sales_mv', 'null_check', 'warning', '3 of 5 nulls');
  const resolved = await waitFor('the primary incident resolved', async () => {
    const a = await w.alerting.getAlert(forPrimary!.id);
    return a.status === 'resolved' ? a : null;
  });
  assert.ok(resolved.resolvedAt);
  const events = await w.alerting.getAlertEvents(forPrimary!.id);
  assert.ok(
    events.some((e) => /reach primary again/.test(JSON.stringify(e))),
    'the resolution says why',
  );
  assert.equal((await w.alerting.getAlert(forOther!.id)).status, 'firing', 'other is still broken');
});
