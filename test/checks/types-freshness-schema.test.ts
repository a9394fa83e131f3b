import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { checksSchema } from '../../src/checks/config.js';
import { loadCheckInputs, runChecks, saveColumns } from '../../src/checks/engine.js';
import { parseQualifiedName } from '../../src/db/identifiers.js';
import { check, checkDatabase, resultOf } from './helpers.js';

const t = await checkDatabase();
const NOW = new Date('2024-06-10T12:00:00Z');

before(async () => {
  await t.sql(`set timezone = 'UTC'`);
  await t.sql(`create materialized view public.typed as select
      1::int as a, 2::bigint as b, 'x'::text as c, 'y'::varchar(20) as d, 1.5::numeric(12,2) as e,
      2.5::float8 as f, true as g, now() as h, current_date as i, array[1, 2] as j, 1::smallint as k`);
  // Newest trade_date 2024-06-08 as date, timestamptz, YYYYMMDD text (with junk) and integer.
  await t.sql(`create materialized view public.dated as
    select d::date as trade_date, d::timestamptz as loaded_at, to_char(d, 'YYYYMMDD') as trade_day,
           to_char(d, 'YYYYMMDD')::int as trade_int
      from generate_series(timestamp '2024-05-01', timestamp '2024-06-08', interval '1 day') d
    union all select null, null, 'n/a', null`);
  await t.sql(`create materialized view public.empty_dated as select null::date as d where false`);
  await t.sql(`create materialized view "Odd Schema Test" as select 1 as id, 'a'::text as name`);
});

test('type_check: PostgreSQL names and aliases match, modifiers only when asked, mismatches and missing columns error', async () => {
  const ok = await check(t.client, 'public.typed', {
    type_check: {
      columns: {
        a: 'int4',
        b: 'int8',
        c: 'text',
        d: 'varchar',
        e: 'decimal',
        f: 'double precision',
        g: 'bool',
        h: 'timestamptz',
        i: 'date',
        j: 'int[]',
        k: 'int2',
      },
    },
    exact: { kind: 'type_check', columns: { d: 'character varying(20)', e: 'numeric(12, 2)' } },
  });
  assert.equal(resultOf(ok, 'type_check').status, 'pass');
  assert.equal(resultOf(ok, 'exact').status, 'pass');
  const bad = resultOf(
    await check(t.client, 'public.typed', {
      type_check: { columns: { a: 'bigint', d: 'varchar(10)', c: 'varchar', zz: 'int', b: 'no_such_type' } },
    }),
    'type_check',
  );
  assert.equal(bad.status, 'error');
  assert.equal(
    bad.message,
    'Type mismatch: a is integer, expected bigint; d is character varying(20), expected varchar(10); ' +
      'c is text, expected varchar; column "zz" does not exist; unknown type "no_such_type"',
  );
  assert.deepEqual(bad.details.missingColumns, ['zz']);
  assert.equal(bad.details.mismatches, 5);
});

test('freshness of date, timestamptz, YYYYMMDD text and integer columns', async () => {
  const run = await check(
    t.client,
    'public.dated',
    {
      freshness_check: { column: 'trade_date', warnAfter: '1d', errorAfter: '5d' },
      ts: { kind: 'freshness_check', column: 'loaded_at', warnAfter: '3d' },
      text_day: { kind: 'freshness_check', column: 'trade_day', warnAfter: '1d', errorAfter: '2d' },
      int_day: { kind: 'freshness_check', column: 'trade_int', warnAfter: '1h', errorAfter: '1d' },
      missing: { kind: 'freshness_check', column: 'nope', warnAfter: '1d' },
    },
    { now: NOW },
  );
  const r = resultOf(run, 'freshness_check');
  assert.equal(r.status, 'warning');
  assert.deepEqual(
    [r.details.latest, r.details.ageMs, r.details.age, r.details.warnAfterMs, r.details.errorAfter],
    ['2024-06-08T00:00:00.000Z', 2.5 * 86_400_000, '3d', 86_400_000, '5d'],
  );
  assert.equal(resultOf(run, 'ts').status, 'pass');
  assert.equal(resultOf(run, 'text_day').status, 'error');
  assert.equal(resultOf(run, 'text_day').details.latest, '2024-06-08T00:00:00.000Z');
  assert.equal(resultOf(run, 'int_day').status, 'error');
  assert.equal(resultOf(run, 'missing').message, 'Column "nope" does not exist in public.dated');
  const empty = await check(
    t.client,
    'public.empty_dated',
    { freshness_check: { column: 'd', warnAfter: '1d' } },
    { now: NOW },
  );
  assert.deepEqual(
    [resultOf(empty, 'freshness_check').status, resultOf(empty, 'freshness_check').message],
    ['error', 'No dated rows in d: freshness unknown'],
  );
});

test('schema_check: the first run passes, then added, dropped and retyped columns are reported', async () => {
  const view = parseQualifiedName('public.evolving');
  const checks = checksSchema.parse({
    schema_check: {},
    strict_schema: { kind: 'schema_check', errorOn: ['removed'] },
  });
  await t.sql(`create materialized view public.evolving as select 1 as id, 'a'::text as name, 2 as gone`);
  const inputs = () => loadCheckInputs(t.db, 'public.evolving');
  const first = await runChecks({
    ...(await inputs()),
    client: t.client,
    view,
    viewKey: 'public.evolving',
    checks,
  });
  assert.equal(resultOf(first, 'schema_check').status, 'pass');
  assert.match(resultOf(first, 'schema_check').message, /^First run: 3 columns recorded/);
  await saveColumns(t.db, 'public.evolving', first.columns);

  await t.sql('drop materialized view public.evolving');
  await t.sql(
    `create materialized view public.evolving as select 1::bigint as id, 'a'::text as name, now() as added`,
  );
  const second = await runChecks({
    ...(await inputs()),
    client: t.client,
    view,
    viewKey: 'public.evolving',
    checks,
  });
  const r = resultOf(second, 'schema_check');
  assert.equal(r.kind, 'schema_check');
  assert.equal(r.status, 'warning');
  assert.deepEqual(r.details.added, [{ name: 'added', type: 'timestamp with time zone' }]);
  assert.deepEqual(r.details.removed, [{ name: 'gone', type: 'integer' }]);
  assert.deepEqual(r.details.retyped, [{ name: 'id', from: 'integer', to: 'bigint' }]);
  assert.equal(resultOf(second, 'strict_schema').status, 'error');

  // Saved inside a transaction that rolls back (a blocked gate): the baseline does not move.
  await t.sql('begin');
  await saveColumns(t.client, 'public.evolving', second.columns);
  await t.sql('rollback');
  assert.deepEqual((await inputs()).previousColumns, first.columns);
  await saveColumns(t.client, 'public.evolving', second.columns, { schema: 'mvwatch' });
  const third = await runChecks({
    ...(await inputs()),
    client: t.client,
    view,
    viewKey: 'public.evolving',
    checks,
  });
  assert.equal(resultOf(third, 'schema_check').status, 'pass');
});

test('a view whose name needs quoting', async () => {
  const run = await check(t.client, 'public."Odd Schema Test"', {
    null_check: { columns: ['name'] },
    duplicate_check: { columns: ['id'] },
  });
  assert.equal(run.status, 'pass');
  assert.equal(run.rowCount, 1);
});
