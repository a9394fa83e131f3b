/**
 * Rate limits shared through PostgreSQL: the limiter against the real database, then 30
 * DingTalk deliveries to a local robot limited to 20 per window (a 4 s window instead of the
 * platform's minute, so the test is quick): at most 20 in any window, the rest later, none
 * dropped and none counted as a failed attempt.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acquire } from '../../../src/notify/rate-limit.js';
import { freshDatabase } from '../../helpers/db.js';
import { rows, startReceiver, waitFor, wire } from './helpers.js';

test('acquire: concurrent callers get exactly max slots, then a retry time one window after the first', async () => {
  const { db } = await freshDatabase();
  const limits = [{ max: 5, perMs: 2_000 }];
  const before = Date.now();
  const results = await Promise.all(Array.from({ length: 12 }, () => acquire(db, 'ding', limits)));
  assert.equal(results.filter((r) => r.ok).length, 5);
  for (const r of results.filter((x) => !x.ok)) {
    const at = (r as { retryAt: Date }).retryAt.getTime();
    assert.ok(
      at >= before + 2_000 - 50 && at <= Date.now() + 2_000,
      'the slot frees one window after the oldest send',
    );
  }
  assert.ok((await acquire(db, 'other', limits)).ok, 'keys are independent');
  assert.ok((await acquire(db, 'ding', [])).ok, 'no limits: always ok');
});

test('30 DingTalk deliveries under 20 per window: 20 at once, 10 one window later, all delivered', async () => {
  // Two channel names for one robot, half the alerts routed to each: the platform counts per robot.
  const WINDOW_MS = 4_000;
  const receiver = await startReceiver();
  const w = await wire({
    channels: {
      ding: { type: 'dingtalk', url: `${receiver.base}/robot/send?access_token=tok-123` },
      ops: { type: 'dingtalk', url: `${receiver.base}/robot/send?access_token=tok-123` },
    },
    routes: [
      { view: 'public.a*', channels: ['ding'], groupBy: ['...'] },
      { view: 'public.b*', channels: ['ops'], groupBy: ['...'] },
    ],
    delivery: {
      backoff: '20ms',
      maintenanceInterval: '200ms',
      concurrency: 8,
      rateLimits: { ding: [{ max: 20, per: `${WINDOW_MS}ms` }], ops: [{ max: 20, per: `${WINDOW_MS}ms` }] },
    },
  });
  await w.worker();
  await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      w.alerting.alertRefreshFailed(`public.${i % 2 ? 'a' : 'b'}${i}`, 'boom', 'full', 1),
    ),
  );
  await waitFor('all 30 messages', () => receiver.requests.length >= 30, 20_000);
  await waitFor('all 30 recorded', () =>
    rows(w.db, `select 1 from :S.materialized_views_deliveries where status = 'delivered'`).then(
      (r) => r.length === 30,
    ),
  );

  // When each message was let through (the limiter's log) and when it arrived.
  const sent = (
    await rows<{ t: number }>(
      w.db,
      `select extract(epoch from at) * 1000 as t from :S.materialized_views_rate_events order by at`,
    )
  ).map((r) => r.t);
  const received = receiver.requests.map((r) => r.at).sort((a, b) => a - b);
  assert.equal(sent.length, 30, 'one slot per message: postponed deliveries took none');
  const keys = await rows<{ key: string }>(
    w.db,
    `select distinct key from :S.materialized_views_rate_events`,
  );
  assert.equal(keys.length, 1, 'both channel names count against the one robot');
  assert.ok(!keys[0]!.key.includes('tok-123'), 'the key is a hash: the token is not stored');
  // The time from slot to arrival (render, sign, POST) varies on a busy machine; without the
  // limiter all 30 would arrive within a second, so this still proves the postponement.
  const ARRIVAL_SLACK_MS = 1_000;
  for (let k = 0; k + 20 < 30; k++) {
    assert.ok(sent[k + 20]! - sent[k]! >= WINDOW_MS, `at most 20 sent in any window (from #${k})`);
    assert.ok(
      received[k + 20]! - received[k]! >= WINDOW_MS - ARRIVAL_SLACK_MS,
      `at most 20 received per window (#${k})`,
    );
  }
  // A slot wrongly refused among the first 20 would have waited a whole window.
  assert.ok(sent[19]! - sent[0]! < WINDOW_MS, 'the first 20 went out without waiting');
  assert.ok(receiver.requests.every((r) => r.url.includes('access_token=tok-123')));

  const [stats] = await rows<{ delivered: number; attempts: number; logged: number }>(
    w.db,
    `select count(*) filter (where status = 'delivered')::int as delivered, sum(attempts)::int as attempts,
            (select count(*)::int from :S.materialized_views_delivery_attempts) as logged
       from :S.materialized_views_deliveries`,
  );
  assert.deepEqual(stats, { delivered: 30, attempts: 30, logged: 30 }, 'a postponement is not an attempt');
});
