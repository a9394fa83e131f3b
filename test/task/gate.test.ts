import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { buildConfig } from '../../src/config/load.js';
import { createCheckStepFactory } from '../../src/pipeline.js';
import { taskFor } from '../../src/task/from-config.js';
import { freshDatabase } from '../helpers/db.js';

const { db, url } = await freshDatabase();
await db.query(`
  create table src (id int primary key, v numeric);
  insert into src select g, g from generate_series(1, 100) g;
  create materialized view gated_mv as select id, v from src;
  create unique index on gated_mv (id);
`);

/** A gated view whose checks take ~1 s (a sql_check that sleeps), so a reader can race them. */
function gatedTask(strategy: 'full' | 'concurrent') {
  const config = buildConfig({
    views: [
      {
        name: 'gated_mv',
        strategy,
        gate: true,
        checks: {
          null_check: { columns: ['v'], threshold: 0, errorThreshold: 0 },
          slow_probe: { kind: 'sql_check', query: 'select 1 from pg_sleep(1) where random() < 0' },
        },
      },
    ],
  });
  return taskFor(db, config.views[0]!, {}, { checkStep: createCheckStepFactory(db) });
}

async function readWhileGating(strategy: 'full' | 'concurrent') {
  const reader = new pg.Client({ connectionString: url });
  await reader.connect();
  try {
    const run = gatedTask(strategy).run();
    await new Promise((r) => setTimeout(r, 300)); // the refresh is done, the checks are sleeping
    const t0 = Date.now();
    const { rows } = await reader.query('select count(*)::int as n, count(v)::int as nn from gated_mv');
    const waitedMs = Date.now() - t0;
    return { result: await run, rows: rows[0], waitedMs };
  } finally {
    await reader.end();
  }
}

for (const strategy of ['concurrent', 'full'] as const) {
  test(`gate with ${strategy}: a reader sees the old rows throughout; nothing bad is published`, async (t) => {
    await db.query('update src set v = null where id <= 5'); // the new contents would have nulls
    t.after(() => db.query('update src set v = id'));
    const { result, rows, waitedMs } = await readWhileGating(strategy);
    assert.equal(result.status, 'failed');
    assert.ok(result.refresh.durationMs >= 1000, 'the checks ran inside the refresh transaction');
    assert.match(result.refresh.error!.message, /Quality gate blocked publication: null_check/);
    assert.deepEqual(rows, { n: 100, nn: 100 }, 'the reader saw the last good contents');
    if (strategy === 'concurrent') {
      // EXCLUSIVE lock: readers are not blocked while the checks run.
      assert.ok(waitedMs < 500, `reader waited ${waitedMs} ms`);
    } else {
      // ACCESS EXCLUSIVE lock: readers wait for the checks, then see the old rows.
      assert.ok(waitedMs >= 300, `reader waited only ${waitedMs} ms`);
    }
    const published = await db.query('select count(v)::int as nn from gated_mv');
    assert.equal(published.rows[0]!.nn, 100);
    const alerts = await db.query(
      `select alert_type, severity from mvwatch.materialized_views_alerts where id = any($1::int8[]) order by id`,
      [result.alerts],
    );
    assert.ok(alerts.rows.some((a) => a.alert_type === 'quality_gate_blocked' && a.severity === 'critical'));
    const runs = await db.query(`select status from mvwatch.materialized_views_refresh_runs where id = $1`, [
      result.refresh.runId,
    ]);
    assert.equal(runs.rows[0]!.status, 'failed');
  });
}

test('gate lets clean data through, and its checks are recorded with the run', async () => {
  await db.query('insert into src values (101, 101)');
  const r = await gatedTask('concurrent').run();
  assert.equal(r.status, 'success');
  assert.equal(r.refresh.rowCount, 101);
  assert.equal((await db.query('select count(*)::int as n from gated_mv')).rows[0]!.n, 101);
  const checks = await db.query(
    `select check_name, check_status from mvwatch.materialized_views_quality_checks where run_id = $1 order by check_name`,
    [r.refresh.runId],
  );
  assert.deepEqual(checks.rows, [
    { check_name: 'null_check', check_status: 'pass' },
    { check_name: 'slow_probe', check_status: 'pass' },
  ]);
});
