import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCheckInputs, saveColumns } from '../../src/checks/engine.js';
import { diffColumns } from '../../src/checks/kinds/schema-check.js';
import { grade, historyScore, worst } from '../../src/checks/stats.js';
import { checkDatabase } from './helpers.js';

const t = await checkDatabase();

async function run(
  view: string,
  status: string,
  rowCount: number | null,
  durationMs: number,
  minutesAgo: number,
) {
  await t.db.query(
    `insert into mvwatch.materialized_views_refresh_runs
       (view_name, view_schema, requested_strategy, started_at, finished_at, duration_ms, row_count, status)
     values ($1, 'public', 'full', now() - make_interval(mins => $2), now(), $3, $4, $5)`,
    [view, minutesAgo, durationMs, rowCount, status],
  );
}

test('inputs: the previous successful run, never a failed one; history newest first, limited to the window', async () => {
  assert.deepEqual(await loadCheckInputs(t.db, 'public.v'), {
    previousRowCount: null,
    history: [],
    previousColumns: null,
  });
  await run('public.v', 'success', 500, 1000, 30);
  await run('public.v', 'success', 480, 1200, 20);
  await run('public.v', 'failed', null, 50, 10);
  await run('public.other', 'success', 7, 10, 5);
  const inputs = await loadCheckInputs(t.db, 'public.v');
  assert.equal(inputs.previousRowCount, 480);
  assert.deepEqual(inputs.history, [
    { rowCount: 480, durationMs: 1200 },
    { rowCount: 500, durationMs: 1000 },
  ]);
  assert.equal((await loadCheckInputs(t.db, 'public.v', { window: 1 })).history.length, 1);
  await saveColumns(t.db, 'public.v', [{ name: 'id', type: 'integer' }]);
  await saveColumns(t.db, 'public.v', [{ name: 'id', type: 'bigint' }]);
  assert.deepEqual((await loadCheckInputs(t.db, 'public.v')).previousColumns, [
    { name: 'id', type: 'bigint' },
  ]);
});

test('status helpers: strict limits, worst status', () => {
  const cases: [number, number, number | undefined, string][] = [
    [0.6, 0.5, undefined, 'warning'],
    [0.5, 0.5, undefined, 'pass'],
    [0.9, 0.5, 0.8, 'error'],
    [0.8, 0.5, 0.8, 'warning'],
    [0, 0, 0, 'pass'],
    [0.001, 0, 0, 'error'],
  ];
  for (const [value, warn, err, want] of cases)
    assert.equal(grade(value, warn, err), want, `${value} ${warn} ${err}`);
  assert.equal(worst([]), 'pass');
  assert.equal(worst(['pass', 'error', 'warning']), 'error');
});

test('history scores: z-score, MAD, floors, a flat history', () => {
  const cases: [number, number[], Parameters<typeof historyScore>[2], number][] = [
    [130, [100, 110, 90, 100], { score: 'zscore', floor: 0, floorRatio: 0 }, 30 / Math.sqrt(200 / 3)],
    [105, [100, 100, 100], { score: 'zscore', floor: 1, floorRatio: 0 }, 5],
    [105, [100, 100, 100], { score: 'zscore', floor: 1, floorRatio: 0.1 }, 0.5],
    [100, [100, 100], { score: 'zscore', floor: 0, floorRatio: 0 }, 0],
    [101, [100, 100], { score: 'zscore', floor: 0, floorRatio: 0 }, Infinity],
    [90, [100, 101, 99, 100, 5000], { score: 'mad', floor: 0, floorRatio: 0 }, -10 / 1.4826],
  ];
  for (const [value, history, options, want] of cases) {
    assert.ok(
      Math.abs(historyScore(value, history, options).score - want) < 1e-9 ||
        historyScore(value, history, options).score === want,
    );
  }
});

test('schema diff by name: added, removed, retyped, ignored', () => {
  const before = [
    { name: 'a', type: 'integer' },
    { name: 'b', type: 'text' },
    { name: 'c', type: 'date' },
  ];
  const after = [
    { name: 'a', type: 'bigint' },
    { name: 'c', type: 'date' },
    { name: 'd', type: 'text' },
  ];
  assert.deepEqual(diffColumns(before, after), {
    added: [{ name: 'd', type: 'text' }],
    removed: [{ name: 'b', type: 'text' }],
    retyped: [{ name: 'a', from: 'integer', to: 'bigint' }],
  });
  assert.deepEqual(diffColumns(before, after, ['a', 'b', 'd']), { added: [], removed: [], retyped: [] });
});
