/** Suppression, dedup, group timing, flush planning, backoff and the limiter's arithmetic: pure, table-driven. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelay } from '../../../src/notify/backoff.js';
import { flushAt, type MemberState, nextPending, planFlush } from '../../../src/notify/grouping.js';
import { nextSlot } from '../../../src/notify/rate-limit.js';
import { suppressionOf } from '../../../src/notify/suppress.js';
import type { Transition } from '../../../src/notify/types.js';

const T0 = new Date('2024-05-01T08:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const timing = { repeatIntervalMs: 60_000, sendResolved: true, groupWaitMs: 5_000, groupIntervalMs: 30_000 };

test('suppression: inhibited, silenced, acknowledged repeats are never sent', () => {
  const cases: [Transition, boolean, boolean, boolean, string | null][] = [
    ['firing', false, false, false, null],
    ['firing', true, false, false, 'silenced'],
    ['resolved', true, false, false, 'silenced'],
    ['firing', false, true, false, 'inhibited'],
    ['firing', true, true, false, 'inhibited'],
    ['repeat', false, false, true, 'acknowledged'],
    ['escalated', false, false, true, null],
    ['resolved', false, false, true, null],
    ['repeat', false, false, false, null],
  ];
  for (const [transition, silenced, inhibited, acknowledged, expected] of cases)
    assert.equal(
      suppressionOf({ transition, silenced, inhibited, acknowledged }),
      expected,
      `${transition} s=${silenced} i=${inhibited} a=${acknowledged}`,
    );
});

test('dedup: what stays pending after a transition', () => {
  const never: MemberState = { pending: null, notifiedAt: null, notifiedStatus: null };
  const sentRecently: MemberState = { pending: null, notifiedAt: at(-10_000), notifiedStatus: 'firing' };
  const sentLongAgo: MemberState = { pending: null, notifiedAt: at(-120_000), notifiedStatus: 'firing' };
  const cases: [string, MemberState | undefined, Transition, boolean, Transition | null][] = [
    ['new incident', undefined, 'firing', true, 'firing'],
    ['repeat of a never-sent incident goes out as firing', never, 'repeat', true, 'firing'],
    ['repeat within repeatInterval is dropped', sentRecently, 'repeat', true, null],
    ['repeat after repeatInterval', sentLongAgo, 'repeat', true, 'repeat'],
    ['repeat keeps a pending firing', { ...never, pending: 'firing' }, 'repeat', true, 'firing'],
    ['escalation beats pending firing', { ...never, pending: 'firing' }, 'escalated', true, 'escalated'],
    ['firing does not downgrade escalated', { ...never, pending: 'escalated' }, 'firing', true, 'escalated'],
    ['resolved replaces pending', { ...sentRecently, pending: 'repeat' }, 'resolved', true, 'resolved'],
    ['resolved with sendResolved off cancels', { ...never, pending: 'firing' }, 'resolved', false, null],
  ];
  for (const [what, state, t, sendResolved, expected] of cases)
    assert.equal(nextPending(state, t, { ...timing, sendResolved }, T0), expected, what);
});

test('group timing: groupWait for new or quiet groups, groupInterval after a message, a schedule stands', () => {
  const cases: [string, Date | null, Date | null, Date][] = [
    ['new group waits groupWait', null, null, at(5_000)],
    ['scheduled flush stands', at(1_000), null, at(1_000)],
    ['active group waits for the interval', null, at(-10_000), at(20_000)],
    ['quiet group is new again', null, at(-40_000), at(5_000)],
    ['interval shorter than wait: the wait', null, at(-28_000), at(5_000)],
  ];
  for (const [what, nextFlushAt, lastFlushAt, expected] of cases)
    assert.deepEqual(flushAt({ nextFlushAt, lastFlushAt }, timing, T0), expected, what);
});

test('flush plan: one message with the most urgent transition; unheard resolutions dropped', () => {
  const m = (alertId: number, pending: Transition | null, notifiedStatus: 'firing' | null = null) => ({
    alertId,
    pending,
    notifiedAt: notifiedStatus ? T0 : null,
    notifiedStatus,
  });
  assert.deepEqual(
    planFlush([m(3, 'repeat', 'firing'), m(1, 'firing'), m(2, null), m(4, 'resolved', 'firing')]),
    {
      send: [1, 3, 4],
      drop: [],
      transition: 'firing',
    },
  );
  assert.deepEqual(planFlush([m(1, 'resolved'), m(2, 'escalated', 'firing')]), {
    send: [2],
    drop: [1],
    transition: 'escalated',
  });
  assert.deepEqual(planFlush([m(1, 'resolved', 'firing')]), { send: [1], drop: [], transition: 'resolved' });
  assert.deepEqual(planFlush([m(1, 'resolved')]), { send: [], drop: [1], transition: null });
});

test('backoff: doubles, capped, jittered within [d/2, d], at least Retry-After', () => {
  const o = { baseMs: 1_000, maxMs: 10_000 };
  assert.deepEqual(
    [1, 2, 3, 4, 5, 50].map((n) => retryDelay(n, o, undefined, () => 1)),
    [1_000, 2_000, 4_000, 8_000, 10_000, 10_000],
  );
  assert.deepEqual(
    [1, 2, 3].map((n) => retryDelay(n, o, undefined, () => 0)),
    [500, 1_000, 2_000],
  );
  assert.equal(
    retryDelay(1, o, 7_000, () => 0),
    7_000,
    'Retry-After wins when longer',
  );
  assert.equal(
    retryDelay(3, o, 10, () => 1),
    4_000,
    'backoff wins when Retry-After is shorter',
  );
  assert.equal(
    retryDelay(1, o, 86_400_000, () => 0),
    3_600_000,
    'Retry-After capped at an hour',
  );
});

test('limiter arithmetic: a slot frees when the max-th newest send leaves its window', () => {
  const limits = [
    { max: 5, perMs: 1_000 },
    { max: 100, perMs: 60_000 },
  ];
  const sends = (n: number, stepMs: number) => Array.from({ length: n }, (_, i) => at(-i * stepMs));
  assert.equal(nextSlot(sends(4, 10), limits, T0), null);
  assert.deepEqual(nextSlot(sends(5, 10), limits, T0), at(-40 + 1_000));
  assert.equal(nextSlot(sends(5, 300), limits, T0), null, 'the oldest already left the 1 s window');
  assert.deepEqual(nextSlot(sends(100, 500), limits, T0), at(-99 * 500 + 60_000), 'the minute limit');
  assert.equal(nextSlot(sends(50, 10), [], T0), null, 'no limits');
});
