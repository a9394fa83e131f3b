/** Routing: table-driven, no database. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConfig } from '../../../src/config/load.js';
import { groupOf, type RouteTarget, resolveRoutes, routesFor } from '../../../src/notify/routing.js';

const channels = { ops: { type: 'console' }, quant: { type: 'console' }, pager: { type: 'console' } };

function routes(list: unknown[]) {
  return resolveRoutes(buildConfig({ notify: { channels, routes: list } }, { env: {} }).notify);
}

const target = (t: Partial<RouteTarget> = {}): RouteTarget => ({
  view: 'analytics.sector_daily_mv',
  type: 'refresh_failed',
  severity: 'error',
  labels: { team: 'quant', tier: 'gold' },
  ...t,
});

test('matching: first match wins, continue goes on, absent matchers match everything', () => {
  const rs = routes([
    { name: 'crit', severity: ['critical'], channels: ['pager'], continue: true },
    { name: 'quant', labels: { team: 'quant' }, channels: ['quant'] },
    { name: 'analytics', view: 'analytics.*', channels: ['ops'] },
    { name: 'types', type: ['stale_*', 'duplicate_keys'], channels: ['ops'] },
    { name: 'bare', view: 'sales_mv', channels: ['ops'] },
  ]);
  const cases: [string, Partial<RouteTarget>, string[]][] = [
    ['label match stops', {}, ['quant']],
    ['critical continues to the next match', { severity: 'critical' }, ['crit', 'quant']],
    ['view glob', { labels: {} }, ['analytics']],
    ['label glob must match the value', { labels: { team: 'ops' } }, ['analytics']],
    ['type glob', { view: 'x.y', labels: {}, type: 'stale_data' }, ['types']],
    ['type list', { view: 'x.y', labels: {}, type: 'duplicate_keys' }, ['types']],
    ['bare view name is public.<name>', { view: 'public.sales_mv', labels: {} }, ['bare']],
    ['nothing matches', { view: 'other.v', labels: {} }, []],
  ];
  for (const [what, t, expected] of cases)
    assert.deepEqual(
      routesFor(rs, target(t)).map((r) => r.key),
      expected,
      what,
    );
});

test('defaults: groupBy view, 0s / 1m / 4h, resolved on, en; no routes means one route to every channel', () => {
  const [r] = routes([{ channels: ['ops'] }]);
  assert.deepEqual(
    [r!.groupBy, r!.groupWaitMs, r!.groupIntervalMs, r!.repeatIntervalMs, r!.sendResolved, r!.locale],
    [['view'], 0, 60_000, 4 * 3_600_000, true, 'en'],
  );
  assert.match(r!.key, /^route-[0-9a-f]{10}$/);
  const implicit = resolveRoutes(buildConfig({ notify: { channels } }, { env: {} }).notify);
  assert.deepEqual(
    implicit.map((x) => [x.key, x.channels]),
    [['default', ['ops', 'quant', 'pager']]],
  );
  assert.deepEqual(resolveRoutes(buildConfig({}, { env: {} }).notify), []);
});

test('group keys: by view by default, by labels, `...` per incident', () => {
  const [byView, byTeam, each] = routes([
    { name: 'a', channels: ['ops'] },
    { name: 'b', channels: ['ops'], groupBy: ['labels.team', 'severity', 'owner'] },
    { name: 'c', channels: ['ops'], groupBy: ['...'] },
  ]);
  assert.equal(groupOf(byView!, 7, target()).key, 'a:{view="analytics.sector_daily_mv"}');
  assert.deepEqual(groupOf(byTeam!, 7, target()), {
    key: 'b:{team="quant",severity="error",owner=""}',
    labels: { team: 'quant', severity: 'error', owner: '' },
  });
  assert.equal(groupOf(each!, 7, target()).key, 'c:{alert="7"}');
  assert.notEqual(groupOf(each!, 8, target()).key, groupOf(each!, 7, target()).key);
});

test('config errors name their path; unknown channels are errors', () => {
  const bad: [unknown, RegExp][] = [
    [
      { channels: ['nope'] },
      /notify\.routes\[0\]\.channels\[0\]: unknown channel "nope" \(configured: ops, quant, pager\)/,
    ],
    [{ channels: ['ops'], fallback: 'gone' }, /notify\.routes\[0\]\.fallback: unknown channel "gone"/],
    [{ channels: ['ops'], severity: 'fatal' }, /notify\.routes\[0\]\.severity: /],
    [{ channels: ['ops'], type: 'refresh_broke' }, /notify\.routes\[0\]\.type: /],
    [
      { channels: ['ops'], groupInterval: '0s' },
      /notify\.routes\[0\]\.groupInterval: expected a positive duration/,
    ],
    [{ channels: ['ops'], groupWait: 'soon' }, /notify\.routes\[0\]\.groupWait: expected a duration/],
    [{ channels: ['ops'], colour: 'red' }, /notify\.routes\[0\]/],
  ];
  for (const [route, message] of bad)
    assert.throws(() => buildConfig({ notify: { channels, routes: [route] } }, { env: {} }), message);
  assert.throws(
    () => buildConfig({ notify: { channels, delivery: { rateLimits: { ding: [] } } } }, { env: {} }),
    /notify\.delivery\.rateLimits\.ding: unknown channel "ding"/,
  );
  assert.doesNotThrow(() =>
    buildConfig({ notify: { channels, routes: [{ channels: [], view: 'tmp.*' }] } }, { env: {} }),
  );
});
