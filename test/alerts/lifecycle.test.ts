import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MaterializedViewAlerting } from '../../src/alerts/alerting.js';
import type { RunObservation } from '../../src/alerts/observations.js';
import { MaterializedViewTask } from '../../src/task/task.js';
import type { CheckResult, RefreshResult } from '../../src/types.js';
import { freshDatabase } from '../helpers/db.js';
import { refreshResult } from '../helpers/runs.js';

const { db } = await freshDatabase();
const alerting = new MaterializedViewAlerting(db);

await db.query(`
  create table divisor (n int);
  insert into divisor values (0);
  create materialized view div_mv as select 100 / n as x from divisor with no data;
`);

function run(
  view: string,
  checks: CheckResult[],
  status: RefreshResult['status'] = 'success',
): RunObservation {
  return { refresh: refreshResult(view, status, { durationMs: 5, rowCount: 10 }), checks };
}

const dups = (status: CheckResult['status']): CheckResult => ({
  check: 'no_dups',
  kind: 'duplicate_check',
  status,
  message: status === 'pass' ? 'no duplicates' : '4 duplicate rows',
  details: { duplicates: status === 'pass' ? 0 : 4 },
});

test('three failed refreshes then a success: one incident, critical at the third, resolved at the fourth', async () => {
  const task = new MaterializedViewTask(db, { view: 'div_mv', strategy: 'full' }, { alerting });
  const ids: number[][] = [];
  const severities: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await task.run();
    assert.equal(r.status, 'failed');
    assert.match(r.refresh.error!.message, /division by zero/);
    ids.push(r.alerts);
    severities.push((await alerting.getAlert(r.alerts[0]!)).severity);
  }
  const id = ids[0]![0]!;
  assert.deepEqual(ids, [[id], [id], [id]]);
  assert.deepEqual(severities, ['error', 'error', 'critical']);

  await db.query('update divisor set n = 5');
  const ok = await task.run();
  assert.equal(ok.status, 'success');
  assert.deepEqual(ok.alerts, []);

  const incidents = await alerting.getAlertHistory({ view: 'div_mv' });
  assert.equal(incidents.length, 1);
  const a = incidents[0]!;
  assert.equal(a.id, id);
  assert.equal(a.type, 'refresh_failed');
  assert.equal(a.occurrences, 3);
  assert.equal(a.severity, 'critical');
  assert.equal(a.status, 'resolved');
  assert.ok(a.resolvedAt && a.resolvedAt >= a.lastSeenAt);
  assert.ok(a.firstSeenAt < a.lastSeenAt);
  assert.equal(typeof a.details.run_id, 'number', 'details are the latest occurrence’s');

  const events = await alerting.getAlertEvents(id);
  assert.deepEqual(
    events.map((e) => `${e.kind}:${e.severity}`),
    ['occurrence:error', 'occurrence:error', 'escalation:critical', 'resolution:critical'],
  );
  assert.ok(events.every((e) => e.alertId === id));
  assert.ok(events[0]!.runId! > 0, 'occurrences carry their refresh run');

  // A new failure after resolution opens a new incident.
  await db.query('update divisor set n = 0');
  const again = await task.run();
  assert.notEqual(again.alerts[0], id);
  assert.equal((await alerting.getAlert(again.alerts[0]!)).occurrences, 1);
  assert.equal((await alerting.getAlertHistory({ view: 'div_mv', status: 'firing' })).length, 1);
  assert.equal((await alerting.getAlertHistory({ view: 'div_mv', status: 'resolved' })).length, 1);
});

test('a check that fails, passes, fails: two incidents', async () => {
  const [first] = await alerting.observeRun(run('q_mv', [dups('error')]));
  assert.deepEqual(await alerting.observeRun(run('q_mv', [dups('error')])), [first]);
  assert.deepEqual(await alerting.observeRun(run('q_mv', [dups('pass')])), []);
  const [second] = await alerting.observeRun(run('q_mv', [dups('error')]));
  assert.notEqual(first, second);

  const list = await alerting.getAlertHistory({ view: 'q_mv' });
  assert.deepEqual(
    list.map((a) => [a.id, a.type, a.status, a.occurrences]),
    [
      [second, 'duplicate_keys', 'firing', 1],
      [first, 'duplicate_keys', 'resolved', 2],
    ],
  );
  const summary = await alerting.getAlertSummary({ view: 'q_mv' });
  assert.equal(summary.total, 2, 'the summary counts incidents, not occurrences');
  assert.equal(summary.byType.duplicate_keys, 2);
});

test('a refresh failure leaves unrelated check incidents firing; a success resolves only refresh ones', async () => {
  await alerting.observeRun(run('mix_mv', [dups('error')]));
  await alerting.observeRun(run('mix_mv', [], 'failed'));
  await alerting.observeRun(run('mix_mv', []));
  const list = await alerting.getAlertHistory({ view: 'mix_mv' });
  assert.deepEqual(list.map((a) => `${a.type}:${a.status}`).sort(), [
    'duplicate_keys:firing',
    'refresh_failed:resolved',
  ]);
});

test('custom check: warning then error is one incident that escalates; severity never falls', async () => {
  const sql = (status: CheckResult['status']): CheckResult => ({
    check: 'my_rule',
    kind: 'sql_check',
    status,
    message: status,
    details: {},
  });
  const [id] = await alerting.observeRun(run('c_mv', [sql('warning')]));
  await alerting.observeRun(run('c_mv', [sql('error')]));
  await alerting.observeRun(run('c_mv', [sql('warning')]));
  const a = await alerting.getAlert(id!);
  assert.equal(a.type, 'data_quality_error');
  assert.equal(a.severity, 'error');
  assert.equal(a.occurrences, 3);
});

test('acknowledge: unknown id, resolved incident, unacknowledge; an acked incident still escalates and resolves', async () => {
  await assert.rejects(alerting.acknowledgeAlert(99_999, 'bob'), {
    code: 'MVW_ALERT_NOT_FOUND',
    exitCode: 1,
  });
  await assert.rejects(alerting.unacknowledgeAlert(99_999), { code: 'MVW_ALERT_NOT_FOUND' });

  const id = await alerting.alertRefreshFailed('ack_mv', 'boom', 'full', 1);
  const acked = await alerting.acknowledgeAlert(id, 'alice', 'looking');
  assert.equal(acked.acknowledged, true);
  assert.equal(acked.acknowledgedBy, 'alice');
  assert.equal(acked.notes, 'looking');
  assert.equal((await alerting.getUnacknowledgedAlerts({ view: 'ack_mv' })).length, 0);

  const back = await alerting.unacknowledgeAlert(id, 'alice');
  assert.equal(back.acknowledged, false);
  assert.equal(back.acknowledgedBy, null);
  await alerting.acknowledgeAlert(id, 'carol');

  await alerting.alertRefreshFailed('ack_mv', 'boom', 'full', 1);
  await alerting.alertRefreshFailed('ack_mv', 'boom', 'full', 1);
  const escalated = await alerting.getAlert(id);
  assert.equal(escalated.severity, 'critical');
  assert.equal(escalated.acknowledged, true, 'escalation keeps the acknowledgement');

  await alerting.observeRun(run('ack_mv', []));
  const resolved = await alerting.getAlert(id);
  assert.equal(resolved.status, 'resolved');
  await assert.rejects(alerting.acknowledgeAlert(id, 'dave'), (e: Error & { code: string }) => {
    assert.equal(e.code, 'MVW_ALERT_NOT_FIRING');
    assert.match(e.message, new RegExp(`Alert #${id} was resolved at .*nothing to acknowledge`));
    return true;
  });

  const kinds = (await alerting.getAlertEvents(id)).map((e) => e.kind);
  assert.deepEqual(kinds, [
    'occurrence',
    'acknowledgement',
    'unacknowledgement',
    'acknowledgement',
    'occurrence',
    'escalation',
    'resolution',
  ]);
  await assert.rejects(alerting.getAlertEvents(123_456), { code: 'MVW_ALERT_NOT_FOUND' });
});

test('freshness SLA: stale is warning, error past errorAfter, critical past twice that; fresh resolves', async () => {
  const now = new Date('2025-06-01T12:00:00Z');
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
  const sla = { warnAfterMs: 3_600_000, errorAfterMs: 3 * 3_600_000 };
  const id = await alerting.observeFreshness('fresh_mv', { ...sla, lastSuccessAt: hoursAgo(2) }, { now });
  assert.equal((await alerting.getAlert(id!)).severity, 'warning');
  await alerting.observeFreshness('fresh_mv', { ...sla, lastSuccessAt: hoursAgo(4) }, { now });
  assert.equal((await alerting.getAlert(id!)).severity, 'error');
  await alerting.observeFreshness('fresh_mv', { ...sla, lastSuccessAt: hoursAgo(7) }, { now });
  assert.equal((await alerting.getAlert(id!)).severity, 'critical');
  assert.equal(
    await alerting.observeFreshness('fresh_mv', { ...sla, lastSuccessAt: hoursAgo(0) }, { now }),
    null,
  );
  const a = await alerting.getAlert(id!);
  assert.equal(a.type, 'stale_data');
  assert.equal(a.status, 'resolved');
  assert.equal(a.occurrences, 3);
});

test('escalation policy per view from the constructor', async () => {
  const strict = new MaterializedViewAlerting(db, {
    escalation: { consecutiveFailures: 2 },
    views: { pol_a_mv: { escalation: { consecutiveFailures: 0 } } },
  });
  for (let i = 0; i < 4; i++) await strict.alertRefreshFailed('pol_a_mv', 'x', 'full', 1);
  const id = await strict.alertRefreshFailed('pol_b_mv', 'x', 'full', 1);
  await strict.alertRefreshFailed('pol_b_mv', 'x', 'full', 1);
  assert.equal((await strict.getAlertHistory({ view: 'pol_a_mv' }))[0]!.severity, 'error');
  assert.equal((await strict.getAlert(id)).severity, 'critical');
});
