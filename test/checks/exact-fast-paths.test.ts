/**
 * The fast paths stay exact: IQR quartiles read off bracketed ranks, outlier counts from
 * bracketed fences, and the duplicate screen over key hashes must match a direct computation
 * whatever the sample says (brackets forced to miss), with ties, NULLs, NaN, empty and
 * one-row views, and with hash collisions forced by a 2-bit hash.
 */
import assert from 'node:assert/strict';
import { afterEach, before, test } from 'node:test';
import { TUNING } from '../../src/checks/tuning.js';
import { check, checkDatabase, resultOf } from './helpers.js';

const t = await checkDatabase();
const DEFAULT_TUNING = { ...TUNING };

afterEach(() => Object.assign(TUNING, DEFAULT_TUNING));

before(async () => {
  // Ties (i % 7), a far outlier, NULLs, in NUMERIC (compared natively) and float8 (cast).
  await t.sql(`create materialized view public.vals as
    select i as id,
           case when i % 10 = 0 then null when i % 500 = 1 then 10000 else (i % 7) * 1.5 end::numeric(10,2) as n,
           case when i % 10 = 0 then null when i % 500 = 1 then 10000 else (i % 7) * 1.5 end::float8 as f,
           (i % 13)::int as k
      from generate_series(1, 20000) i`);
  await t.sql(`create materialized view public.nan as
    select i, case when i % 100 = 0 then 'NaN'::float8 else i end as f from generate_series(1, 3000) i`);
  await t.sql('create materialized view public.empty as select 1.5::numeric as n, 1 as id where false');
  await t.sql('create materialized view public.one as select 2.5::numeric as n, 1 as id');
  await t.sql(`create materialized view public.keys as
    select 'C' || (i % 3000) as code, date '2024-01-01' + (i % 2) as day, case when i % 997 = 0 then null else i % 5 end as part
      from generate_series(1, 6003) i`);
});

/** percentile_cont and the outlier count as a user would compute them, over every row. */
async function direct(view: string, column: string, threshold: number) {
  const { rows } = await t.sql(
    `with q as (select percentile_cont(array[0.25, 0.5, 0.75]) within group (order by ${column}::float8) q,
                       count(${column}) n from ${view})
     select q[1] q1, q[2] median, q[3] q3, n,
            (select count(*) from ${view} where ${column}::float8 < q[1] - $1::float8 * (q[3] - q[1])
                                             or ${column}::float8 > q[3] + $1::float8 * (q[3] - q[1])) outliers
       from q`,
    [threshold],
  );
  const r = rows[0];
  return {
    q1: r.q1,
    median: r.median,
    q3: r.q3,
    nonNullCount: Number(r.n),
    outlierCount: Number(r.outliers),
  };
}

async function viaEngine(view: string, column: string, threshold: number) {
  const run = await check(t.client, view, { outlier_check: { columns: [column], method: 'iqr', threshold } });
  const c = (resultOf(run, 'outlier_check').details.columns as Record<string, unknown>[])[0]!;
  return { q1: c.q1, median: c.median, q3: c.q3, nonNullCount: c.nonNullCount, outlierCount: c.outlierCount };
}

/** The engine rounds statistics to 6 digits for details; compare the same way. */
const round = (x: unknown) => (x === null ? null : Number(Number(x).toPrecision(6)));
const same = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  assert.deepEqual(
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, round(v)])),
    Object.fromEntries(Object.entries(b).map(([k, v]) => [k, round(v)])),
  );

for (const [name, tuning] of [
  ['sampled brackets', {}],
  ['brackets forced to miss (width 0)', { bracket: 0 }],
  ['a sample of one page', { samplePages: 0.01 }],
] as const) {
  test(`IQR: quartiles and outlier counts equal percentile_cont's, ${name}`, async () => {
    Object.assign(TUNING, tuning);
    for (const [view, column] of [
      ['public.vals', 'n'],
      ['public.vals', 'f'],
      ['public.vals', 'k'],
      ['public.nan', 'f'],
      ['public.empty', 'n'],
      ['public.one', 'n'],
    ] as const) {
      for (const threshold of [0.1, 1.5, 3]) {
        same(await viaEngine(view, column, threshold), await direct(view, column, threshold));
      }
    }
  });
}

test('IQR on an empty view: no quartiles, no outliers, a pass', async () => {
  const run = await check(t.client, 'public.empty', { outlier_check: { columns: ['n'] } });
  const r = resultOf(run, 'outlier_check');
  const c = (r.details.columns as Record<string, unknown>[])[0]!;
  assert.deepEqual([r.status, c.q1, c.outlierCount, c.nonNullCount], ['pass', null, 0, 0]);
});

async function duplicates(columns: string[]) {
  const r = resultOf(
    await check(t.client, 'public.keys', { duplicate_check: { columns } }),
    'duplicate_check',
  );
  return [r.details.duplicateGroups, r.details.duplicateRows, (r.details.sampleKeys as unknown[]).length];
}

async function directDuplicates(columns: string[]) {
  const { rows } = await t.sql(
    `select count(*)::int g, coalesce(sum(n), 0)::int r from (select count(*) n from public.keys group by ${columns.join(', ')} having count(*) > 1) d`,
  );
  return [rows[0].g, rows[0].r, Math.min(10, rows[0].g)];
}

test('duplicates: exact with 64-bit hashes and with collisions forced by a 2-bit hash (NULL parts group together)', async () => {
  for (const columns of [['code'], ['code', 'day'], ['day', 'part'], ['part']]) {
    const expected = await directDuplicates(columns);
    TUNING.hashBits = 64;
    assert.deepEqual(await duplicates(columns), expected, `64 bits ${columns}`);
    TUNING.hashBits = 2;
    assert.deepEqual(await duplicates(columns), expected, `2 bits ${columns}`);
  }
});

test('duplicates: a unique key passes even when every hash collides', async () => {
  TUNING.hashBits = 1;
  const r = resultOf(
    await check(t.client, 'public.vals', { duplicate_check: { columns: ['id'] } }),
    'duplicate_check',
  );
  assert.deepEqual([r.status, r.details.duplicateRows], ['pass', 0]);
});
