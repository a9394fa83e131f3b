import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createDb } from '../../src/db/db.js';
import { MaterializedViewRefresh } from '../../src/refresh/refresh.js';
import { freshDatabase, urlForDatabase } from '../helpers/db.js';

const { db, url } = await freshDatabase();
const refresher = new MaterializedViewRefresh(db);

await db.query(`
  create table src (id int primary key, v numeric);
  insert into src select g, g * 1.5 from generate_series(1, 50) g;
  create materialized view plain_mv as select id, v from src;
  create materialized view uniq_mv as select id, v from src;
  create unique index on uniq_mv (id);
  create materialized view unpopulated_mv as select id, v from src with no data;
  create unique index on unpopulated_mv (id);
  create materialized view partial_idx_mv as select id, v from src;
  create unique index on partial_idx_mv (id) where id > 10;
  create table empty_t (x int);
  create materialized view div_zero_mv as select 1 / (select count(*) from empty_t) as x with no data;
  create materialized view slow_mv as select 1 as s from pg_sleep(1.5) with no data;
  create schema "Mixed Case";
  create materialized view "Mixed Case"."View" as select 1 as one;
  create view not_a_matview as select 1 as one;
`);

test('full refresh: success with the row count from its own transaction', async () => {
  const r = await refresher.refresh('plain_mv', { strategy: 'full' });
  assert.equal(r.status, 'success');
  assert.equal(r.view, 'public.plain_mv');
  assert.equal(r.usedStrategy, 'full');
  assert.equal(r.fallback, false);
  assert.equal(r.rowCount, 50);
  assert.ok(r.durationMs > 0);
  assert.ok(Date.parse(r.finishedAt) >= Date.parse(r.startedAt));
  assert.equal(r.error, undefined);
});

test('concurrent on a view without a unique index falls back to full, and says why', async () => {
  const r = await refresher.refresh('plain_mv', { strategy: 'concurrent' });
  assert.equal(r.status, 'success');
  assert.equal(r.usedStrategy, 'full');
  assert.equal(r.fallback, true);
  assert.match(r.fallbackReason!, /55000/);
});

test('concurrent on an unpopulated view falls back to full (0A000)', async () => {
  const r = await refresher.refresh('unpopulated_mv', { strategy: 'concurrent' });
  assert.equal(r.status, 'success');
  assert.equal(r.fallback, true);
  assert.match(r.fallbackReason!, /0A000/);
  assert.equal(r.rowCount, 50);
});

test('auto: concurrent when populated with a unique index, full otherwise, never a fallback', async () => {
  await db.query(
    'create materialized view auto_mv as select id from src with no data; create unique index on auto_mv (id)',
  );
  const first = await refresher.refresh('auto_mv', { strategy: 'auto' });
  assert.equal(first.usedStrategy, 'full');
  assert.equal(first.fallback, false);
  const second = await refresher.refresh('auto_mv', { strategy: 'auto' });
  assert.equal(second.usedStrategy, 'concurrent');
  assert.equal(second.fallback, false);
  assert.equal((await refresher.refresh('plain_mv', { strategy: 'auto' })).usedStrategy, 'full');
  // A partial unique index does not count: CONCURRENTLY could not use it.
  assert.equal((await refresher.refresh('partial_idx_mv', { strategy: 'auto' })).usedStrategy, 'full');
  assert.equal((await refresher.refresh('uniq_mv', { strategy: 'auto' })).usedStrategy, 'concurrent');
});

test('a data error fails with its SQLSTATE and is not retried as full', async () => {
  const r = await refresher.refresh('div_zero_mv', { strategy: 'concurrent' });
  assert.equal(r.status, 'failed');
  assert.equal(r.error?.sqlstate, '22012');
  assert.equal(r.error?.kind, 'error');
  // 0A000 (unpopulated) would have allowed a fallback; the data error happened in full mode after it.
  assert.equal(r.rowCount, null);
});

test('statement timeout: kind timeout, SQLSTATE 57014', async () => {
  const r = await refresher.refresh('slow_mv', { strategy: 'full', timeoutMs: 300 });
  assert.equal(r.status, 'failed');
  assert.equal(r.error?.kind, 'timeout');
  assert.equal(r.error?.sqlstate, '57014');
  assert.ok(r.durationMs < 1400, `took ${r.durationMs} ms`);
});

test('a lock held by another session: kind lock_timeout, SQLSTATE 55P03', async () => {
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  try {
    await holder.query('begin');
    // A long-running reader: REFRESH (full) needs ACCESS EXCLUSIVE and must wait for it.
    await holder.query('select count(*) from plain_mv');
    const r = await refresher.refresh('plain_mv', { strategy: 'full', lockTimeoutMs: 200 });
    assert.equal(r.status, 'failed');
    assert.equal(r.error?.kind, 'lock_timeout');
    assert.equal(r.error?.sqlstate, '55P03');
  } finally {
    await holder.end();
  }
});

test('two refreshes of one view at once: one runs, the other is skipped at once', async () => {
  const other = createDb({ url }); // a second "process": its own pool and connections
  try {
    const [a, b] = await Promise.all([
      refresher.refresh('slow_mv', { strategy: 'full' }),
      new Promise((r) => setTimeout(r, 200)).then(() =>
        new MaterializedViewRefresh(other).refresh('slow_mv'),
      ),
    ]);
    assert.equal(a.status, 'success');
    assert.equal(b.status, 'skipped');
    assert.ok(b.durationMs < 500, `skipped after ${b.durationMs} ms`);
    assert.equal(b.usedStrategy, null);
  } finally {
    await other.close();
  }
});

test('a missing view: kind missing, nothing refreshed', async () => {
  const r = await refresher.refresh('public.no_such_mv');
  assert.equal(r.status, 'failed');
  assert.equal(r.error?.kind, 'missing');
  assert.equal(r.error?.message, 'Materialized view public.no_such_mv does not exist');
  const notMat = await refresher.refresh('not_a_matview');
  assert.equal(notMat.error?.kind, 'missing');
  assert.match(notMat.error!.message, /not a materialized view/);
});

test('a database error during the lookup is an error, not "missing"', async () => {
  const broken = createDb({ url: urlForDatabase('mvwatch_no_such_database') });
  try {
    const r = await new MaterializedViewRefresh(broken).refresh('plain_mv');
    assert.equal(r.status, 'failed');
    assert.equal(r.error?.kind, 'error');
    assert.equal(r.error?.sqlstate, '3D000');
    assert.equal(r.rowCount, null);
  } finally {
    await broken.close();
  }
});

test('names: injection attempts and over-long names are refused, quoted names work', async () => {
  await assert.rejects(refresher.refresh('public.mv; drop table src'), { code: 'MVW_INVALID_VIEW_NAME' });
  await assert.rejects(refresher.refresh(`public.${'a'.repeat(64)}`), { code: 'MVW_INVALID_VIEW_NAME' });
  await assert.rejects(refresher.refresh('plain_mv', { strategy: 'sideways' as never }), {
    code: 'MVW_INVALID_ARGUMENT',
  });
  const r = await refresher.refresh('"Mixed Case"."View"');
  assert.equal(r.status, 'success');
  assert.equal(r.view, '"Mixed Case"."View"');
  assert.equal(r.rowCount, 1);
  const { rows } = await db.query('select count(*)::int as n from src');
  assert.equal(rows[0]!.n, 50);
});

test('the last result per view is kept in memory, like the seed', async () => {
  await refresher.refresh('uniq_mv', { strategy: 'full' });
  assert.equal(refresher.getLastResult('public.uniq_mv')?.usedStrategy, 'full');
});

test('timeouts must be positive numbers', async () => {
  await assert.rejects(refresher.refresh('plain_mv', { timeoutMs: Number.NaN }), {
    code: 'MVW_INVALID_ARGUMENT',
  });
  await assert.rejects(refresher.refresh('plain_mv', { lockTimeoutMs: -1 }), {
    code: 'MVW_INVALID_ARGUMENT',
  });
});
