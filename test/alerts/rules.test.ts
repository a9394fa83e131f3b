import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fingerprint } from '../../src/alerts/fingerprint.js';
import { findInhibitor, upstreamViews } from '../../src/alerts/inhibit.js';
import { type Signal, signalsForRun } from '../../src/alerts/observations.js';
import { planSignals } from '../../src/alerts/plan.js';
import { DEFAULT_ESCALATION } from '../../src/alerts/policy.js';
import {
  globToRegExp,
  matchesSilence,
  normalizeMatchers,
  type Silence,
  type SilenceMatchers,
  type SilenceTarget,
} from '../../src/alerts/silences.js';
import type { RefreshResult } from '../../src/types.js';
import { refreshResult } from '../helpers/runs.js';

const target: SilenceTarget = {
  view: 'analytics.sector_daily_mv',
  type: 'null_values_detected',
  severity: 'warning',
  labels: { team: 'quant', env: 'prod' },
};

test('silence matchers: exact and glob, every matcher must match', () => {
  const cases: [SilenceMatchers, boolean][] = [
    [{ view: 'analytics.*' }, true],
    [{ view: 'analytics.sector_daily_mv' }, true],
    [{ view: 'analytics.sector' }, false],
    [{ view: 'analytics.sector_?aily_mv' }, true],
    [{ view: '*.sector_daily_mv' }, true],
    [{ view: 'public.*' }, false],
    [{ type: 'null_*' }, true],
    [{ type: 'duplicate_keys' }, false],
    [{ severity: 'warning' }, true],
    [{ severity: 'critical' }, false],
    [{ labels: { team: 'quant' } }, true],
    [{ labels: { team: 'q*' } }, true],
    [{ labels: { team: 'ops' } }, false],
    [{ labels: { owner: '*' } }, false],
    [{ view: 'analytics.*', severity: 'critical' }, false],
    [{ view: 'analytics.*', type: 'null_values_detected', labels: { env: 'prod' } }, true],
  ];
  for (const [m, want] of cases) assert.equal(matchesSilence(m, target), want, JSON.stringify(m));
});

test('globs treat regex characters literally', () => {
  assert.ok(globToRegExp('a.b*').test('a.bcd'));
  assert.ok(!globToRegExp('a.b').test('axb'));
  assert.ok(globToRegExp('(x)+*').test('(x)+y'));
});

test('normalizeMatchers: canonical exact view, globs kept, at least one matcher', () => {
  assert.deepEqual(normalizeMatchers({ view: 'Sales_MV' }), { view: 'public.sales_mv' });
  assert.deepEqual(normalizeMatchers({ view: 'analytics.*', labels: { team: 'quant' } }), {
    view: 'analytics.*',
    labels: { team: 'quant' },
  });
  assert.throws(() => normalizeMatchers({}), { code: 'MVW_INVALID_ARGUMENT' });
  assert.throws(() => normalizeMatchers({ type: ' ' }), { code: 'MVW_INVALID_ARGUMENT' });
});

test('upstreamViews: transitive, nearest first, cycles end', () => {
  const deps = new Map([
    ['c', ['b']],
    ['b', ['a']],
    ['a', ['c']],
  ]);
  assert.deepEqual(upstreamViews('c', deps), ['b', 'a']);
  assert.deepEqual(upstreamViews('z', deps), []);
});

test('findInhibitor: same-run refresh first, then the nearest failing upstream; refresh alerts never', () => {
  const ctx = {
    refreshIncident: null,
    upstream: ['b', 'a'],
    firingRefreshByView: new Map([
      ['a', 1],
      ['b', 2],
    ]),
  };
  const quality = { type: 'duplicate_keys' as const, check: 'dups' };
  assert.equal(findInhibitor(quality, ctx), 2);
  assert.equal(findInhibitor({ type: 'stale_data', check: null }, ctx), 2);
  assert.equal(findInhibitor({ type: 'refresh_failed', check: null }, ctx), null);
  assert.equal(findInhibitor(quality, { ...ctx, refreshIncident: 9 }), 9);
  assert.equal(findInhibitor(quality, { ...ctx, firingRefreshByView: new Map() }), null);
});

function refresh(status: RefreshResult['status'], over: Partial<RefreshResult> = {}): RefreshResult {
  return refreshResult('public.v', status, {
    startedAt: '2025-01-01T00:00:00Z',
    finishedAt: '2025-01-01T00:00:01Z',
    durationMs: 1000,
    rowCount: 1,
    runId: 5,
    ...(status === 'failed' ? { error: undefined } : {}),
    ...over,
  });
}

test('signalsForRun: what each kind of run says', () => {
  const summary = (s: Signal[]) => s.map((x) => `${x.condition}:${x.type}${x.check ? `/${x.check}` : ''}`);
  assert.deepEqual(summary(signalsForRun({ refresh: refresh('skipped'), checks: [] })), []);
  assert.deepEqual(
    summary(
      signalsForRun({
        refresh: refresh('failed', { error: { message: 'canceling statement', kind: 'timeout' } }),
        checks: [],
      }),
    ),
    ['failing:refresh_timeout'],
  );
  assert.deepEqual(
    summary(
      signalsForRun({
        refresh: refresh('success'),
        checks: [
          { check: 'nulls', kind: 'null_check', status: 'pass', message: 'ok', details: {} },
          { check: 'mine', kind: 'sql_check', status: 'error', message: 'bad', details: {} },
        ],
        labels: { team: 'q' },
      }),
    ),
    [
      'ok:refresh_failed',
      'ok:refresh_timeout',
      'ok:quality_gate_blocked',
      'ok:null_values_detected/nulls',
      'failing:data_quality_error/mine',
    ],
  );
  const gate = signalsForRun({
    refresh: refresh('failed'),
    checks: [{ check: 'd', kind: 'duplicate_check', status: 'error', message: 'dups', details: {} }],
    gateBlocked: true,
  });
  assert.deepEqual(summary(gate), [
    'failing:quality_gate_blocked',
    'ok:refresh_failed',
    'ok:refresh_timeout',
    'failing:duplicate_keys/d',
  ]);
  assert.equal(gate[0]!.severity, 'critical');
});

test('fingerprint: stable, and one per custom check whatever its status', () => {
  assert.equal(
    fingerprint('public.v', 'refresh_failed', null),
    fingerprint('public.v', 'refresh_failed', null),
  );
  assert.equal(
    fingerprint('public.v', 'data_quality_warning', 'c'),
    fingerprint('public.v', 'data_quality_error', 'c'),
  );
  assert.notEqual(
    fingerprint('public.v', 'refresh_failed', null),
    fingerprint('public.v', 'refresh_timeout', null),
  );
  assert.notEqual(
    fingerprint('public.v', 'duplicate_keys', 'a'),
    fingerprint('public.v', 'duplicate_keys', 'b'),
  );
});

const ctx = {
  now: new Date('2025-01-01T00:00:00Z'),
  firing: new Map(),
  silences: [] as Silence[],
  policyFor: () => DEFAULT_ESCALATION,
  upstreamOf: () => [],
  firingRefreshByView: new Map<string, number>(),
};

function check(status: 'pass' | 'error'): Signal[] {
  return signalsForRun({
    refresh: refresh('success'),
    checks: [{ check: 'dups', kind: 'duplicate_check', status, message: status, details: {} }],
  });
}

test('plan: fail, pass, fail in one batch makes two incidents', () => {
  const plan = planSignals([check('error'), check('pass'), check('error')], ctx);
  const ids = plan.steps.map((s) => `${s.incident.id}:${s.incident.status}:${s.transition}`);
  assert.deepEqual(ids, ['-1:firing:firing', '-1:resolved:resolved', '-2:firing:firing']);
  assert.deepEqual(plan.raised, [[-1], [], [-2]]);
});

test('plan: a failed refresh inhibits the same run’s checks; silences match the final severity', () => {
  const run = signalsForRun({
    refresh: refresh('failed', { error: { message: 'boom', kind: 'error' } }),
    checks: [{ check: 'dups', kind: 'duplicate_check', status: 'error', message: 'dups', details: {} }],
  });
  const silence: Silence = {
    id: 1,
    matchers: { severity: 'error', type: 'duplicate_*' },
    startsAt: '2024-12-31T00:00:00Z',
    endsAt: '2025-01-02T00:00:00Z',
    createdBy: 'a',
    comment: '',
    createdAt: '2024-12-31T00:00:00Z',
  };
  const plan = planSignals([run], { ...ctx, silences: [silence] });
  const [refreshStep, checkStep] = plan.steps;
  assert.equal(refreshStep!.incident.inhibitedBy, null);
  assert.equal(refreshStep!.incident.silenced, false);
  assert.equal(checkStep!.incident.inhibitedBy, refreshStep!.incident.id);
  assert.equal(checkStep!.incident.silenced, true);
  assert.equal(checkStep!.event.kind, 'silenced');
});
