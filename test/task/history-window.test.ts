/**
 * The configured pipeline reads as much history as the longest configured `window` asks for
 * (it used to read the default 30 whatever the config said), on the check step's own connection.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConfig } from '../../src/config/load.js';
import { createCheckStepFactory } from '../../src/pipeline.js';
import { taskFor, viewSettings } from '../../src/task/from-config.js';
import { freshDatabase } from '../helpers/db.js';

test('row_count_change with window 40 scores against 40 successful runs', async () => {
  const { db } = await freshDatabase();
  await db.query(`
    create table src (id int primary key);
    insert into src select generate_series(1, 10);
    create materialized view mv as select id from src;
    create unique index on mv (id);
    insert into mvwatch.materialized_views_refresh_runs
      (view_name, view_schema, requested_strategy, started_at, finished_at, duration_ms, row_count, status)
    select 'public.mv', 'public', 'full', now() - g * interval '1 hour', now() - g * interval '1 hour', 5,
           10, 'success'
      from generate_series(1, 45) g;
  `);
  const config = buildConfig(
    {
      views: [
        {
          name: 'public.mv',
          checks: { row_count_change: { method: 'history', window: 40, minHistory: 35 } },
        },
      ],
    },
    { env: {} },
  );
  const task = taskFor(db, viewSettings(config, 'public.mv'), {}, { checkStep: createCheckStepFactory(db) });
  const r = await task.run();
  const check = r.refresh.checks?.find((c) => c.check === 'row_count_change');
  assert.ok(check, JSON.stringify(r.refresh));
  assert.equal(check.details.historyRuns, 40, check.message);
  assert.equal(check.status, 'pass', check.message);
});
