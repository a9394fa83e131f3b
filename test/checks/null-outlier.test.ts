import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { check, checkDatabase, resultOf } from './helpers.js';

const t = await checkDatabase();

type Column = Record<string, unknown> & { sampleKeys?: Record<string, unknown>[] };
const columns = (details: Record<string, unknown>) => details.columns as Column[];

before(async () => {
  // 1000 rows: a is null every 10th row (10 %), b in 3 of every 100 (3 %), c never.
  await t.sql(`create materialized view public.nulls_mv as
    select i as id,
           case when i % 10 = 0 then null else i end as a,
           case when i % 100 < 3 then null else 'x' end as b,
           i as c
      from generate_series(1, 1000) i`);
  // The seed's example: 3 of 5 values null.
  await t.sql(`create materialized view public.seed_nulls as
    select * from (values (1, null::text), (2, 'a'), (3, null), (4, 'b'), (5, null)) v(id, x)`);
  // NUMERIC(10,2) between 90 and 110 with five planted outliers; y with one huge value; z mostly constant.
  await t.sql(`create materialized view public.outliers_mv as
    select i as id,
           (case when i in (100, 200, 300) then 1000 when i in (400, 500) then -500
                 else 100 + (i % 21) - 10 end)::numeric(10,2) as x,
           (case when i = 777 then 1000000 else 50 + i % 11 end)::numeric as y,
           case when i = 999 then 1000 when i % 20 = 0 then 8 else 7 end as z,
           'label ' || i as label
      from generate_series(1, 1000) i`);
  // The seed's example: 100 among small values.
  await t.sql(`create materialized view public.seed_outlier as
    select v as x from unnest(array[1, 2, 3, 4, 5, 6, 7, 8, 9, 100]::numeric[]) v`);
});

test("the seed's example: 3 of 5 nulls is 0.6, above 0.5 warns", async () => {
  const r = resultOf(
    await check(t.client, 'public.seed_nulls', { null_check: { columns: ['x'], threshold: 0.5 } }),
    'null_check',
  );
  assert.equal(r.status, 'warning');
  assert.deepEqual(
    { ...columns(r.details)[0], sampleKeys: undefined },
    {
      column: 'x',
      nullCount: 3,
      nullFraction: 0.6,
      nullPercentage: 60,
      status: 'warning',
      sampleKeys: undefined,
    },
  );
  assert.deepEqual(columns(r.details)[0]!.sampleKeys, [
    { id: 1, x: null },
    { id: 3, x: null },
    { id: 5, x: null },
  ]);
  assert.equal(r.message, 'Null values above 50% in x (60%, 3 of 5)');
});

test('nulls at known rates: error above errorThreshold, warning above threshold, pass at or below', async () => {
  const run = await check(t.client, 'public.nulls_mv', {
    null_check: { columns: ['a', 'b', 'c'], threshold: 0.05, errorThreshold: 0.08 },
    nulls_b: { kind: 'null_check', columns: ['b'], threshold: 0.02 },
    nulls_exact: { kind: 'null_check', columns: ['b'], threshold: 0.03 },
  });
  const r = resultOf(run, 'null_check');
  assert.equal(r.status, 'error');
  assert.deepEqual(
    columns(r.details).map((c) => [c.column, c.nullCount, c.nullPercentage, c.status]),
    [
      ['a', 100, 10, 'error'],
      ['b', 30, 3, 'pass'],
      ['c', 0, 0, 'pass'],
    ],
  );
  assert.equal(r.details.rowCount, 1000);
  assert.equal(r.details.threshold, 0.05);
  assert.equal(r.details.errorThreshold, 0.08);
  const samples = columns(r.details)[0]!.sampleKeys!;
  assert.equal(samples.length, 10);
  assert.ok(samples.every((s) => s.a === null && (s.id as number) % 10 === 0));
  assert.equal(columns(r.details)[1]!.sampleKeys, undefined);
  assert.equal(resultOf(run, 'nulls_b').status, 'warning');
  // 0.03 is not above 0.03: strict, as in the seed.
  assert.equal(resultOf(run, 'nulls_exact').status, 'pass');
  assert.equal(run.status, 'error');
  assert.equal(run.rowCount, 1000);
});

test('a missing column is an error naming it; no columns passes as in the seed', async () => {
  const run = await check(t.client, 'public.nulls_mv', {
    null_check: { columns: ['a', 'nope'] },
    outlier_check: { columns: ['nope', 'gone'] },
    empty: { kind: 'null_check', columns: [] },
  });
  const r = resultOf(run, 'null_check');
  assert.equal(r.status, 'error');
  assert.equal(r.message, 'Column "nope" does not exist in public.nulls_mv');
  assert.deepEqual(r.details.missingColumns, ['nope']);
  assert.equal(
    resultOf(run, 'outlier_check').message,
    'Columns "nope", "gone" do not exist in public.nulls_mv',
  );
  assert.deepEqual(resultOf(run, 'empty'), {
    check: 'empty',
    kind: 'null_check',
    status: 'pass',
    message: 'No columns specified',
    details: { columns: [] },
  });
});

test("the seed's IQR example: 100 among 1..9 is outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR]", async () => {
  const r = resultOf(
    await check(t.client, 'public.seed_outlier', {
      outlier_check: { columns: ['x'], method: 'iqr', threshold: 1.5 },
    }),
    'outlier_check',
  );
  assert.equal(r.status, 'warning');
  const c = columns(r.details)[0]!;
  assert.deepEqual(
    [c.q1, c.q3, c.iqr, c.lowerBound, c.upperBound, c.outlierCount, c.nonNullCount, c.outlierPercentage],
    [3.25, 7.75, 4.5, -3.5, 14.5, 1, 10, 10],
  );
  assert.deepEqual(c.sampleKeys, [{ x: 100, value: 100 }]);
});

test('outliers in a NUMERIC column: exact counts, tolerance and errorTolerance', async () => {
  const run = await check(t.client, 'public.outliers_mv', {
    outlier_check: { columns: ['x'], method: 'iqr', threshold: 1.5 },
    tolerant: { kind: 'outlier_check', columns: ['x'], threshold: 1.5, tolerance: 0.01 },
    warn: { kind: 'outlier_check', columns: ['x'], threshold: 1.5, tolerance: 0.001, errorTolerance: 0.01 },
    strict: {
      kind: 'outlier_check',
      columns: ['x'],
      threshold: 1.5,
      tolerance: 0.001,
      errorTolerance: 0.004,
    },
  });
  const r = resultOf(run, 'outlier_check');
  const c = columns(r.details)[0]!;
  assert.equal(r.status, 'warning');
  assert.deepEqual([c.outlierCount, c.nonNullCount, c.outlierPercentage], [5, 1000, 0.5]);
  assert.equal(c.sampleKeys!.length, 5);
  assert.deepEqual(
    c.sampleKeys!.map((s) => s.value).sort((p, q) => (p as number) - (q as number)),
    [-500, -500, 1000, 1000, 1000],
  );
  // Sample keys name the row by the view's first columns.
  assert.deepEqual(Object.keys(c.sampleKeys![0]!), ['id', 'x', 'y', 'value']);
  assert.equal(resultOf(run, 'tolerant').status, 'pass');
  assert.equal(resultOf(run, 'warn').status, 'warning');
  assert.equal(resultOf(run, 'strict').status, 'error');
});

test('zscore and mad find the one huge value; mad falls back to the mean deviation when MAD is 0', async () => {
  const run = await check(t.client, 'public.outliers_mv', {
    z: { kind: 'outlier_check', columns: ['y'], method: 'zscore', threshold: 3 },
    m: { kind: 'outlier_check', columns: ['y', 'z'], method: 'mad', threshold: 3 },
  });
  const z = columns(resultOf(run, 'z').details)[0]!;
  assert.deepEqual([z.outlierCount, z.sampleKeys!.map((s) => s.id)], [1, [777]]);
  const [y, flat] = columns(resultOf(run, 'm').details);
  assert.deepEqual([y!.outlierCount, y!.median, y!.mad], [1, 55, 3]);
  assert.deepEqual(
    [flat!.outlierCount, flat!.median, flat!.mad, flat!.sampleKeys!.map((s) => s.id)],
    [1, 7, 0, [999]],
  );
});

test('a non-numeric column is an error, not a silent pass', async () => {
  const r = resultOf(
    await check(t.client, 'public.outliers_mv', { outlier_check: { columns: ['label'] } }),
    'outlier_check',
  );
  assert.equal(r.status, 'error');
  assert.equal(r.message, 'outlier_check needs numeric columns: label is text');
});
