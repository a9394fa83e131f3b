import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MaterializedViewAlerting } from '../../src/alerts/alerting.js';
import type { AlertTransitionEvent } from '../../src/alerts/events.js';
import { MaterializedViewTask } from '../../src/task/task.js';
import type { CheckResult, RefreshResult } from '../../src/types.js';
import { freshDatabase } from '../helpers/db.js';
import { refreshResult } from '../helpers/runs.js';

const { db } = await freshDatabase();
const seen: AlertTransitionEvent[] = [];
const alerting = new MaterializedViewAlerting(db, {
  onTransitions: async (_c, events) => {
    seen.push(...events);
  },
  // Declared edges join the catalog's (side_mv reads nothing in PostgreSQL's eyes).
  dependsOn: { side_mv: ['up_mv'] },
});

// A matview on a matview: down_mv reads up_mv, which divides by zero until fixed.
await db.query(`
  create table base (n int);
  insert into base values (0);
  create materialized view up_mv as select 100 / n as x from base with no data;
  create materialized view down_mv as select x from up_mv with no data;
  create materialized view side_mv as select 1 as one;
`);

const rowCount: CheckResult = {
  check: 'rows',
  kind: 'row_count_change',
  status: 'warning',
  message: 'row count fell by 100%',
  details: { change: 1 },
};

function success(view: string): RefreshResult {
  return refreshResult(view, 'success', { rowCount: 0 });
}

test('an upstream refresh failure inhibits a downstream quality alert (matview on matview)', async () => {
  const up = new MaterializedViewTask(db, { view: 'up_mv', strategy: 'full' }, { alerting });
  const failed = await up.run();
  assert.equal(failed.status, 'failed');
  const upIncident = failed.alerts[0]!;

  seen.length = 0;
  const [downId] = await alerting.observeRun({ refresh: success('down_mv'), checks: [rowCount] });
  const down = await alerting.getAlert(downId!);
  assert.equal(down.type, 'row_count_anomaly');
  assert.equal(down.inhibitedBy, upIncident);
  assert.deepEqual(
    seen.map((e) => [e.transition, e.inhibited, e.alert.inhibitedBy]),
    [['firing', true, upIncident]],
  );
  assert.equal((await alerting.getAlertEvents(downId!))[0]!.kind, 'inhibited');

  // Configured dependsOn edges inhibit too.
  const [sideId] = await alerting.observeRun({ refresh: success('side_mv'), checks: [rowCount] });
  assert.equal((await alerting.getAlert(sideId!)).inhibitedBy, upIncident);

  // Once upstream recovers, the next downstream occurrence is no longer inhibited.
  await db.query('update base set n = 4');
  assert.equal((await up.run()).status, 'success');
  seen.length = 0;
  await alerting.observeRun({ refresh: success('down_mv'), checks: [rowCount] });
  assert.deepEqual(
    seen.map((e) => [e.alert.id, e.transition, e.inhibited]),
    [[downId, 'firing', false]],
    'never notified while inhibited, so notified now',
  );
  const after = await alerting.getAlert(downId!);
  assert.equal(after.inhibitedBy, null);
  assert.equal(after.occurrences, 2);
});

test('a failed refresh inhibits the quality alerts of its own run; refresh alerts are never inhibited', async () => {
  const at = new Date().toISOString();
  const [refreshId, checkId] = await alerting.observeRun({
    refresh: refreshResult('own_mv', 'failed', {
      startedAt: at,
      finishedAt: at,
      error: { message: 'could not commit', kind: 'error' },
    }),
    checks: [rowCount],
  });
  assert.equal((await alerting.getAlert(refreshId!)).inhibitedBy, null);
  assert.equal((await alerting.getAlert(checkId!)).inhibitedBy, refreshId);
});
