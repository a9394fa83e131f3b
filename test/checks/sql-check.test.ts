import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { check, checkDatabase, resultOf } from './helpers.js';

const t = await checkDatabase();

before(async () => {
  await t.sql(`create table public.orders (id int primary key, amount numeric, status text)`);
  await t.sql(`insert into public.orders
               select i, case when i % 10 = 0 then -i else i end, 'ok' from generate_series(1, 100) i`);
  await t.sql(`create materialized view public.orders_mv as select * from public.orders`);
  // A function that writes: the read-only guard, not the subquery wrapper, must stop it.
  await t.sql(`create function public.purge() returns bigint language sql as
               $$ with d as (delete from public.orders where id > 90 returning 1) select count(*) from d $$`);
});

test('violating rows: exact count, 10 sample rows, status by threshold', async () => {
  const run = await check(t.client, 'public.orders_mv', {
    negative_amounts: {
      kind: 'sql_check',
      query: 'select id, amount from {{view}} where amount < 0 order by id;',
    },
    tolerated: {
      kind: 'sql_check',
      query: 'select id from {{view}} where amount < 0',
      threshold: 5,
      errorThreshold: 20,
    },
    clean: { kind: 'sql_check', query: 'select id from {{view}} where amount is null -- trailing comment' },
  });
  const r = resultOf(run, 'negative_amounts');
  assert.equal(r.kind, 'sql_check');
  assert.equal(r.status, 'error');
  assert.equal(r.message, '10 violating rows');
  assert.equal(r.details.violatingRows, 10);
  assert.deepEqual(
    r.details.samples,
    Array.from({ length: 10 }, (_, i) => ({ id: (i + 1) * 10, amount: -(i + 1) * 10 })),
  );
  assert.equal(resultOf(run, 'tolerated').status, 'warning');
  assert.deepEqual(
    { status: resultOf(run, 'clean').status, rows: resultOf(run, 'clean').details.violatingRows },
    { status: 'pass', rows: 0 },
  );
});

test('inside the caller transaction: a delete fails as an error result and the transaction stays usable', async () => {
  await t.sql('begin');
  try {
    await t.sql(`insert into public.orders values (1000, 1, 'mine')`);
    const run = await check(t.client, 'public.orders_mv', {
      sneaky: { kind: 'sql_check', query: 'select public.purge() as n' },
      bare_delete: { kind: 'sql_check', query: 'delete from public.orders returning id' },
      nulls: { kind: 'null_check', columns: ['amount'] },
    });
    const sneaky = resultOf(run, 'sneaky');
    assert.equal(sneaky.status, 'error');
    assert.match(sneaky.message, /read-only transaction/);
    assert.equal(sneaky.details.sqlstate, '25006');
    assert.equal(resultOf(run, 'bare_delete').status, 'error');
    assert.equal(resultOf(run, 'nulls').status, 'pass');
    assert.equal(t.client.getTransactionStatus(), 'T');
    // Still the caller's read-write transaction, with its own uncommitted row and nothing purged.
    const { rows } = await t.sql(`select count(*)::int as n, count(*) filter (where id = 1000)::int as mine,
                                         current_setting('transaction_read_only') as ro,
                                         current_setting('statement_timeout') as st from public.orders`);
    assert.deepEqual(rows[0], { n: 101, mine: 1, ro: 'off', st: '0' });
    await t.sql(`insert into public.orders values (1001, 1, 'still writable')`);
  } finally {
    await t.sql('rollback');
  }
});

test('a slow query hits its own timeout; the caller transaction goes on', async () => {
  await t.sql('begin');
  try {
    const run = await check(t.client, 'public.orders_mv', {
      slow: { kind: 'sql_check', query: 'select pg_sleep(5) as slept', timeout: '200ms' },
    });
    const r = resultOf(run, 'slow');
    assert.equal(r.status, 'error');
    assert.equal(r.message, 'sql_check query timed out after 200ms');
    assert.equal(r.details.sqlstate, '57014');
    assert.equal((await t.sql('select 1 as one')).rows[0].one, 1);
  } finally {
    await t.sql('rollback');
  }
});

test('on an idle connection the engine reads in its own transaction and leaves the connection idle', async () => {
  const run = await check(t.client, 'public.orders_mv', {
    sneaky: { kind: 'sql_check', query: 'select public.purge() as n' },
  });
  assert.equal(resultOf(run, 'sneaky').status, 'error');
  assert.equal(t.client.getTransactionStatus(), 'I');
  assert.equal((await t.sql('select count(*)::int as n from public.orders')).rows[0].n, 100);
});

test('an aborted transaction is refused, not made worse', async () => {
  await t.sql('begin');
  try {
    await t.sql('select 1/0').catch(() => {});
    await assert.rejects(check(t.client, 'public.orders_mv', {}), { code: 'MVW_CHECKS_FAILED' });
  } finally {
    await t.sql('rollback');
  }
});

test('a missing view is MVW_NOT_FOUND', async () => {
  await assert.rejects(check(t.client, 'public.nope', {}), { code: 'MVW_NOT_FOUND' });
});
