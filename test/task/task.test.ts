import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CheckStep, MaterializedViewTask } from '../../src/task/task.js';
import { freshDatabase } from '../helpers/db.js';

const { db } = await freshDatabase();
await db.query(`
  create table src (id int primary key, v int);
  insert into src select g, g from generate_series(1, 10) g;
  create materialized view mv as select id, v from src;
  create unique index on mv (id);
`);

/** A real check step: counts nulls of v in the view, on the connection it is given. */
const nullsOfV: CheckStep = async (client, { view }) => {
  const { rows } = await client.query<{ n: number; nulls: number }>(
    `select count(*)::int as n, (count(*) - count(v))::int as nulls from "${view.schema}"."${view.name}"`,
  );
  const { n, nulls } = rows[0]!;
  const status = nulls > 0 ? 'error' : 'pass';
  return {
    status,
    rowCount: n,
    results: [
      {
        check: 'v_not_null',
        kind: 'null_check',
        status,
        message: `${nulls} of ${n} rows null`,
        details: { nulls },
      },
    ],
  };
};

test('the seed result shape: {status, refresh, quality}, and everything recorded', async () => {
  const r = await new MaterializedViewTask(db, { view: 'mv', checks: nullsOfV, trigger: 'test' }).run();
  assert.equal(r.status, 'success');
  assert.equal(r.refresh.status, 'success');
  assert.equal(r.refresh.rowCount, 10, 'row count taken from the check scan');
  assert.ok(r.refresh.runId);
  assert.deepEqual(r.quality, { status: 'pass', checks: r.refresh.checks });
  assert.deepEqual(r.alerts, []);
  const { rows } = await db.query('select check_name, run_id from mvwatch.materialized_views_quality_checks');
  assert.deepEqual(rows, [{ check_name: 'v_not_null', run_id: r.refresh.runId }]);
});

test('a failing check raises its mapped alert', async () => {
  await db.query('update src set v = null where id <= 2');
  const r = await new MaterializedViewTask(db, { view: 'mv', checks: nullsOfV }).run();
  assert.equal(r.status, 'success');
  assert.equal(r.quality?.status, 'error');
  assert.equal(r.alerts.length, 1);
  const { rows } = await db.query(
    'select alert_type, severity from mvwatch.materialized_views_alerts where id = $1',
    [r.alerts[0]],
  );
  assert.deepEqual(rows[0], { alert_type: 'null_values_detected', severity: 'error' });
  await db.query('update src set v = id');
});

for (const strategy of ['full', 'concurrent'] as const) {
  test(`gate (${strategy}): a blocking check rolls back; readers keep the old rows`, async (t) => {
    await new MaterializedViewTask(db, { view: 'mv', strategy }).run(); // publish clean contents
    await db.query('update src set v = null where id = 1; insert into src values (11, 11)');
    t.after(() => db.query('update src set v = id; delete from src where id = 11'));
    const r = await new MaterializedViewTask(db, {
      view: 'mv',
      strategy,
      gate: true,
      checks: nullsOfV,
    }).run();
    assert.equal(r.status, 'failed');
    assert.equal(r.refresh.status, 'failed');
    assert.match(r.refresh.error!.message, /Quality gate blocked publication: v_not_null/);
    assert.equal(r.refresh.rowCount, 11, 'the rejected contents were measured');
    const published = await db.query('select count(*)::int as n, count(v)::int as nn from mv');
    assert.deepEqual(published.rows[0], { n: 10, nn: 10 }, 'old contents still published');
    const { rows } = await db.query(
      'select alert_type, severity from mvwatch.materialized_views_alerts where id = any($1::int8[]) order by alert_type desc',
      [r.alerts],
    );
    // The gate's own alert, and the finding that caused it with its specific type.
    assert.deepEqual(rows, [
      { alert_type: 'quality_gate_blocked', severity: 'critical' },
      { alert_type: 'null_values_detected', severity: 'error' },
    ]);
  });
}

test('gate lets clean data through', async () => {
  const r = await new MaterializedViewTask(db, { view: 'mv', gate: true, checks: nullsOfV }).run();
  assert.equal(r.status, 'success');
  assert.equal(r.refresh.rowCount, 10);
});

test('a check step that throws is an error result, not a crashed run', async () => {
  const broken: CheckStep = async () => {
    throw new Error('engine exploded');
  };
  const r = await new MaterializedViewTask(db, { view: 'mv', checks: broken }).run();
  assert.equal(r.status, 'success');
  assert.equal(r.quality?.status, 'error');
  assert.match(r.quality!.checks[0]!.message, /engine exploded/);
});

test('cancelled between steps: says so, keeps what happened', async () => {
  const controller = new AbortController();
  const cancelling: CheckStep = async (client, ctx) => {
    controller.abort();
    return nullsOfV(client, ctx);
  };
  // The gate runs checks inside the refresh; the abort lands before recording alerts.
  const r = await new MaterializedViewTask(db, { view: 'mv', checks: cancelling }).run({
    signal: controller.signal,
  });
  assert.equal(r.status, 'cancelled');
  assert.ok(r.refresh.runId, 'the refresh that happened is recorded');
  const already = new AbortController();
  already.abort();
  const before = (await db.query('select count(*)::int as n from mvwatch.materialized_views_refresh_runs'))
    .rows[0]!.n;
  const none = await new MaterializedViewTask(db, { view: 'mv' }).run({ signal: already.signal });
  assert.equal(none.status, 'cancelled');
  assert.equal(none.refresh.status, 'skipped');
  const after = (await db.query('select count(*)::int as n from mvwatch.materialized_views_refresh_runs'))
    .rows[0]!.n;
  assert.equal(after, before, 'nothing ran, nothing recorded');
});

test('definition: the view is created when missing', async () => {
  const r = await new MaterializedViewTask(db, {
    view: 'created_mv',
    definition: 'create materialized view public.created_mv as select id from src',
  }).run();
  assert.equal(r.status, 'success');
  assert.equal(r.refresh.rowCount, 10);
});

test('freshness SLA: stale while failing (inhibited by the failed refresh), resolved by a success', async () => {
  await db.query(`create table f (d int); insert into f values (0);
                  create materialized view fresh_mv as select 1 / d as x from f with no data;`);
  const task = new MaterializedViewTask(db, { view: 'fresh_mv', freshness: { warnAfterMs: 3_600_000 } });
  const failed = await task.run();
  assert.equal(failed.status, 'failed');
  const { rows } = await db.query(
    `select id, alert_type, inhibited_by, status from mvwatch.materialized_views_alerts
      where view_name = 'public.fresh_mv' order by id`,
  );
  const refreshAlert = rows.find((r) => r.alert_type === 'refresh_failed');
  const stale = rows.find((r) => r.alert_type === 'stale_data');
  assert.ok(refreshAlert && stale, 'both recorded');
  assert.equal(stale.inhibited_by, refreshAlert.id, 'the root cause inhibits the staleness');
  await db.query('update f set d = 1');
  assert.equal((await task.run()).status, 'success');
  const after = await db.query(
    `select alert_type, status from mvwatch.materialized_views_alerts where view_name = 'public.fresh_mv' order by id`,
  );
  assert.deepEqual(
    after.rows.map((r) => r.status),
    ['resolved', 'resolved'],
  );
});
