import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { check, checkDatabase, resultOf } from './helpers.js';

const t = await checkDatabase();

before(async () => {
  await t.sql(`create materialized view public.five as select i as id from generate_series(1, 5) i`);
  await t.sql(`create materialized view public.three as select i as id from generate_series(1, 3) i`);
  // 1000 rows; (code, day) repeats for 3 keys: twice, twice and three times (7 rows).
  await t.sql(`create materialized view public.dups as
    select code, day, v from (
      select 'C' || i as code, date '2024-01-01' + (i % 7) as day, i as v from generate_series(1, 993) i
      union all select 'C1', date '2024-01-02', 0
      union all select 'C2', date '2024-01-03', 0
      union all select 'C3', date '2024-01-04', 0
      union all select 'C3', date '2024-01-04', -1
      union all select null, null, 1
      union all select null, null, 2
      union all select 'C5', null, 3) s`);
  // A unique index: the check passes without scanning for duplicates.
  await t.sql(`create materialized view public.keyed as
    select i as id, 'k' || (i % 3) as part from generate_series(1, 50) i`);
  await t.sql(`create unique index keyed_id on public.keyed (id)`);
  // A unique index on a nullable column lets null keys repeat.
  await t.sql(`create materialized view public.keyed_nulls as
    select case when i > 48 then null else i end as id from generate_series(1, 50) i`);
  await t.sql(`create unique index keyed_nulls_id on public.keyed_nulls (id)`);
});

test("the seed's example: 5 → 3 rows at threshold 0.3 warns (change 0.4)", async () => {
  const r = resultOf(
    await check(t.client, 'public.three', { row_count_change: { threshold: 0.3 } }, { previousRowCount: 5 }),
    'row_count_change',
  );
  assert.equal(r.status, 'warning');
  assert.equal(r.details.change, 0.4);
  assert.equal(r.details.method, 'change');
  assert.equal(r.message, 'Row count changed by 40% (5 → 3 rows), above 30%');
});

test('row count: first run passes, previous 0 is a 100 % change, errorThreshold, static bounds', async () => {
  const first = resultOf(await check(t.client, 'public.three', { row_count_change: {} }), 'row_count_change');
  assert.deepEqual([first.status, first.details.previousRowCount], ['pass', null]);
  const fromZero = await check(t.client, 'public.three', { row_count_change: {} }, { previousRowCount: 0 });
  assert.deepEqual(
    [resultOf(fromZero, 'row_count_change').status, resultOf(fromZero, 'row_count_change').details.change],
    ['warning', 1],
  );
  const drop = await check(
    t.client,
    'public.three',
    { row_count_change: { threshold: 0.3, errorThreshold: 0.6 } },
    { previousRowCount: 10 },
  );
  assert.equal(resultOf(drop, 'row_count_change').status, 'error');
  const bounds = await check(
    t.client,
    'public.three',
    { row_count_change: { min: 4 }, upper: { kind: 'row_count_change', max: 2 } },
    { previousRowCount: 3 },
  );
  assert.deepEqual(
    [resultOf(bounds, 'row_count_change').status, resultOf(bounds, 'row_count_change').message],
    ['error', 'Row count 3 is below the minimum 4'],
  );
  assert.equal(resultOf(bounds, 'upper').status, 'error');
  assert.equal(bounds.rowCount, 3);
});

test('row count against history: silent until minHistory, z-score with a floor, MAD', async () => {
  const runs = (counts: number[]) => counts.map((rowCount) => ({ rowCount, durationMs: 1000 }));
  const cfg = { rows: { kind: 'row_count_change', method: 'history', minHistory: 3 } };
  const few = resultOf(await check(t.client, 'public.three', cfg, { history: runs([3, 3]) }), 'rows');
  assert.deepEqual([few.status, few.details.method, few.details.historyRuns], ['pass', 'history', 2]);
  // Flat history of 5: the floor (1 row) keeps a 2-row drop at score 2, under 3.
  const flat = resultOf(await check(t.client, 'public.three', cfg, { history: runs([5, 5, 5, 5]) }), 'rows');
  assert.deepEqual([flat.status, flat.details.score, flat.details.spread], ['pass', -2, 1]);
  const tight = resultOf(
    await check(
      t.client,
      'public.three',
      { rows: { ...cfg.rows, floor: 0.5, floorRatio: 0 } },
      { history: runs([5, 5, 5, 5]) },
    ),
    'rows',
  );
  assert.deepEqual([tight.status, tight.details.score], ['warning', -4]);
  const mad = resultOf(
    await check(
      t.client,
      'public.five',
      { rows: { ...cfg.rows, score: 'mad', threshold: 3, errorThreshold: 5 } },
      {
        history: runs([100, 101, 99, 100, 100000]),
      },
    ),
    'rows',
  );
  // median 100, MAD 1 → spread max(1.4826, 1, 1) = 1.4826; |5 − 100| / 1.4826 ≈ 64 → error.
  assert.deepEqual(
    [mad.status, mad.details.center, mad.details.spread, mad.details.scoreMethod],
    ['error', 100, 1.4826, 'mad'],
  );
});

test('duplicates: every row of a duplicate group counts, null keys group together, samples largest first', async () => {
  const run = await check(t.client, 'public.dups', { duplicate_check: { columns: ['code', 'day'] } });
  const r = resultOf(run, 'duplicate_check');
  assert.equal(r.status, 'error');
  assert.deepEqual(
    [r.details.duplicateGroups, r.details.duplicateRows, r.details.rowCount, r.details.method],
    [4, 9, 1000, 'scan'],
  );
  assert.equal(r.details.duplicatePercentage, 0.9);
  const samples = r.details.sampleKeys as Record<string, unknown>[];
  assert.deepEqual(samples[0], { code: 'C3', day: '2024-01-04', count: 3 });
  assert.equal(samples.length, 4);
  assert.match(r.message, /^4 duplicate keys on \(code, day\): 9 of 1000 rows \(0\.9%\)$/);
});

test('duplicates: thresholds turn a small share into a warning; a unique key passes', async () => {
  const run = await check(t.client, 'public.dups', {
    tolerated: { kind: 'duplicate_check', columns: ['code', 'day'], threshold: 0.001, errorThreshold: 0.01 },
    unique_v: { kind: 'duplicate_check', columns: ['v', 'code'] },
    missing: { kind: 'duplicate_check', columns: ['code', 'nope'] },
    none: { kind: 'duplicate_check' },
  });
  assert.equal(resultOf(run, 'tolerated').status, 'warning');
  assert.deepEqual(
    [resultOf(run, 'unique_v').status, resultOf(run, 'unique_v').details.duplicateRows],
    ['pass', 0],
  );
  assert.equal(resultOf(run, 'missing').message, 'Column "nope" does not exist in public.dups');
  assert.equal(resultOf(run, 'none').message, 'No columns specified');
});

test('a unique index proves uniqueness without a duplicate scan; null keys still checked', async () => {
  const keyed = resultOf(
    await check(t.client, 'public.keyed', { duplicate_check: { columns: ['id'] } }),
    'duplicate_check',
  );
  assert.deepEqual([keyed.status, keyed.details.method], ['pass', 'unique_index']);
  const parts = resultOf(
    await check(t.client, 'public.keyed', { duplicate_check: { columns: ['part'] } }),
    'duplicate_check',
  );
  assert.deepEqual([parts.details.method, parts.details.duplicateRows], ['scan', 50]);
  const nulls = resultOf(
    await check(t.client, 'public.keyed_nulls', { duplicate_check: { columns: ['id'] } }),
    'duplicate_check',
  );
  assert.deepEqual(
    [nulls.status, nulls.details.method, nulls.details.duplicateRows, nulls.details.sampleKeys],
    ['error', 'unique_index+nulls', 2, [{ id: null, count: 2 }]],
  );
});
