import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertingOptionsFromConfig } from '../../src/alerts/config.js';
import { policyFor } from '../../src/alerts/policy.js';
import { buildConfig } from '../../src/config/load.js';

test('alerts.escalation: defaults, top level, per view', () => {
  assert.deepEqual(buildConfig({}).alerts, { escalation: { consecutiveFailures: 3 } });
  const config = buildConfig({
    alerts: { escalation: { consecutiveFailures: 5 } },
    views: [
      { name: 'a_mv', alerts: { escalation: { consecutiveFailures: 2 } }, dependsOn: ['up_mv'] },
      { name: 'b_mv' },
    ],
  });
  assert.equal(config.view('a_mv')!.alerts!.escalation.consecutiveFailures, 2);
  assert.equal(config.view('b_mv')!.alerts!.escalation.consecutiveFailures, 5);
  const options = alertingOptionsFromConfig(config);
  assert.equal(policyFor(options, 'public.a_mv').consecutiveFailures, 2);
  assert.equal(policyFor(options, 'public.b_mv').consecutiveFailures, 5);
  assert.equal(policyFor(options, 'public.unconfigured').consecutiveFailures, 5);
  assert.deepEqual(options.dependsOn, { 'public.a_mv': ['public.up_mv'] });
});

test('alerts.escalation: invalid values are reported by their path', () => {
  assert.throws(
    () => buildConfig({ views: [{ name: 'a_mv', alerts: { escalation: { consecutiveFailures: -1 } } }] }),
    (e: Error & { code: string }) => {
      assert.equal(e.code, 'MVW_INVALID_CONFIG');
      assert.match(e.message, /views\[0\]\.alerts\.escalation\.consecutiveFailures/);
      return true;
    },
  );
  assert.throws(() => buildConfig({ alerts: { escalate: {} } }), { code: 'MVW_INVALID_CONFIG' });
});
