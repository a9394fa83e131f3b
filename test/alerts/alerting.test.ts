import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MaterializedViewAlerting } from '../../src/alerts/alerting.js';
import { alertTypeForCheck, alertTypeForRefreshFailure, severityForCheck } from '../../src/alerts/mapping.js';
import type { CheckStatus } from '../../src/types.js';
import { freshDatabase } from '../helpers/db.js';

const { db } = await freshDatabase();
const alerting = new MaterializedViewAlerting(db);

test('seed mapping: check name → alert type, status → severity', () => {
  const cases: [string, CheckStatus, string, string][] = [
    ['null_check', 'warning', 'null_values_detected', 'warning'],
    ['outlier_check', 'warning', 'outliers_detected', 'warning'],
    ['row_count_change', 'warning', 'row_count_anomaly', 'warning'],
    ['duplicate_check', 'error', 'duplicate_keys', 'error'],
    ['type_check', 'error', 'type_mismatch', 'error'],
    ['freshness_check', 'warning', 'stale_data', 'warning'],
    ['schema_check', 'warning', 'schema_changed', 'warning'],
    ['my_custom_check', 'warning', 'data_quality_warning', 'warning'],
    ['my_custom_check', 'error', 'data_quality_error', 'error'],
  ];
  for (const [kind, status, type, severity] of cases) {
    assert.equal(alertTypeForCheck(kind, status), type, kind);
    assert.equal(severityForCheck(status), severity, kind);
  }
});

test('refresh failures: timeout by SQLSTATE kind, the seed substring rule as fallback', () => {
  assert.equal(alertTypeForRefreshFailure('canceling statement', 'timeout'), 'refresh_timeout');
  assert.equal(alertTypeForRefreshFailure('could not obtain lock', 'lock_timeout'), 'refresh_timeout');
  assert.equal(alertTypeForRefreshFailure('Connection TIMEOUT'), 'refresh_timeout');
  assert.equal(alertTypeForRefreshFailure('division by zero', 'error'), 'refresh_failed');
});

test('alertRefreshFailed: seed message and details', async () => {
  const id = await alerting.alertRefreshFailed(
    'sales_mv',
    'division by zero',
    'full',
    1.25,
    { extra: 1 },
    {
      kind: 'error',
      sqlstate: '22012',
    },
  );
  const [a] = await alerting.getAlertHistory({ view: 'public.sales_mv' });
  assert.equal(a!.id, id);
  assert.equal(a!.type, 'refresh_failed');
  assert.equal(a!.severity, 'error');
  assert.equal(a!.message, 'Refresh failed for public.sales_mv: division by zero');
  assert.deepEqual(a!.details, {
    error_message: 'division by zero',
    refresh_strategy: 'full',
    duration_seconds: 1.25,
    error_kind: 'error',
    sqlstate: '22012',
    extra: 1,
  });
  assert.equal(a!.status, 'firing');
  assert.equal(a!.acknowledged, false);
  assert.match(a!.createdAt, /Z$/);
});

test('alertDataQualityIssue: a pass records nothing; otherwise the seed message', async () => {
  assert.equal(await alerting.alertDataQualityIssue('q_mv', 'null_check', 'pass', 'fine'), null);
  const id = await alerting.alertDataQualityIssue('q_mv', 'null_check', 'warning', '3 of 5 rows null', {
    null_percentage: 0.6,
  });
  const a = await alerting.getAlert(id!);
  assert.equal(a.type, 'null_values_detected');
  assert.equal(a.severity, 'warning');
  assert.equal(a.message, 'Data quality issue in public.q_mv: 3 of 5 rows null');
  assert.equal(a.details.check_name, 'null_check');
  assert.equal(a.details.null_percentage, 0.6);
});

test('history filters and paging, unacknowledged list, acknowledge', async () => {
  await alerting.alertDataQualityIssue('f_mv', 'duplicate_check', 'error', 'dups');
  await alerting.alertDataQualityIssue('f_mv', 'type_check', 'error', 'types');
  await alerting.alertRefreshFailed('f_mv', 'statement timeout', 'concurrent', 1);
  const all = await alerting.getAlertHistory({ view: 'f_mv' });
  assert.deepEqual(
    all.map((a) => a.type),
    ['refresh_timeout', 'type_mismatch', 'duplicate_keys'],
  );
  assert.equal((await alerting.getAlertHistory({ view: 'f_mv', type: 'type_mismatch' })).length, 1);
  assert.equal((await alerting.getAlertHistory({ view: 'f_mv', severity: 'error' })).length, 3);
  assert.deepEqual(
    (await alerting.getAlertHistory({ view: 'f_mv', limit: 1, offset: 1 })).map((a) => a.type),
    ['type_mismatch'],
  );

  const acked = await alerting.acknowledgeAlert(all[0]!.id, 'alice', 'looking');
  assert.equal(acked.acknowledged, true);
  assert.equal(acked.acknowledgedBy, 'alice');
  assert.equal(acked.notes, 'looking');
  assert.ok(acked.acknowledgedAt);
  const unacked = await alerting.getUnacknowledgedAlerts({ view: 'f_mv' });
  assert.deepEqual(
    unacked.map((a) => a.type),
    ['type_mismatch', 'duplicate_keys'],
  );
});

test('acknowledging an unknown id is an error, not a silent no-op', async () => {
  await assert.rejects(alerting.acknowledgeAlert(987654, 'bob'), {
    code: 'MVW_ALERT_NOT_FOUND',
    exitCode: 1,
  });
});

test('summary: counts by severity and by type, the seed shape kept', async () => {
  const s = await alerting.getAlertSummary({ view: 'f_mv', days: 7 });
  assert.equal(s.total, 3);
  assert.equal(s.bySeverity.error, 3);
  assert.equal(s.error, 3);
  assert.equal(s.critical, 0);
  assert.equal(s.byType.duplicate_keys, 1);
  assert.equal(s.view, 'public.f_mv');
  const everything = await alerting.getAlertSummary();
  assert.ok(everything.total >= 5);
  assert.equal(everything.days, 7);
});
