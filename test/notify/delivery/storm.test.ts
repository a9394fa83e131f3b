/**
 * An alert storm: 1,000 failing observations of one view, from concurrent writers, within the
 * group window → ONE message. The group lives in PostgreSQL, so this holds across processes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { count, sleep, startReceiver, waitFor, wire } from './helpers.js';

const OBSERVATIONS = 1_000;
/** Writers at once: the contention of many refresh workers hitting the same view. */
const WRITERS = 16;
/** Distinct checks failing, besides the refresh itself. */
const CHECKS = 20;

test('1,000 failures on one view within the group window: one message', async () => {
  const receiver = await startReceiver();
  const w = await wire({
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook` } },
    // The window must outlast the storm; the assertion below proves it did.
    routes: [{ channels: ['hook'], groupWait: '25s' }],
  });
  await w.worker();
  const started = Date.now();
  let next = 0;
  const writer = async () => {
    for (let i = next++; i < OBSERVATIONS; i = next++) {
      if (i % 2 === 0) await w.alerting.alertRefreshFailed('public.sales_mv', `boom ${i}`, 'full', 1);
      else
        await w.alerting.alertDataQualityIssue(
          'public.sales_mv',
          `check_${(i >> 1) % CHECKS}`,
          'error',
          `bad ${i}`,
        );
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  const stormMs = Date.now() - started;
  const early = await count(w.db, 'select count(*)::int as n from :S.materialized_views_deliveries');
  assert.equal(early, 0, `the storm (${stormMs} ms) ended inside the group window`);

  await waitFor('the message', () => receiver.requests.length >= 1, 40_000);
  await sleep(1_000);
  assert.equal(receiver.requests.length, 1, 'one message for the whole storm');
  const body = JSON.parse(receiver.requests[0]!.body);
  const incidents = await w.alerting.getAlertHistory({ view: 'public.sales_mv' });
  assert.equal(incidents.length, CHECKS + 1, 'the storm deduplicated into its incidents');
  assert.deepEqual(
    body.incidents.map((i: { id: number }) => i.id).sort((a: number, b: number) => a - b),
    incidents.map((i) => i.id).sort((a, b) => a - b),
    'the one message carries every incident',
  );
  assert.equal(body.transition, 'escalated', 'the refresh incident escalated during the storm');
  const total = incidents.reduce((s, i) => s + i.occurrences, 0);
  assert.equal(total, OBSERVATIONS);
  const pending = await count(
    w.db,
    'select count(*)::int as n from :S.materialized_views_notify_members where pending is not null',
  );
  assert.equal(pending, 0, 'nothing is left over for a second message');
});
