import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checksSchema } from '../../src/checks/config.js';
import { runChecks } from '../../src/checks/engine.js';
import { checkDatabase } from './helpers.js';

const t = await checkDatabase();
await t.sql(`
  create table raw (k text, d date, v numeric);
  insert into raw select 'K' || (g % 500), date '2026-01-01' + (g / 500), g from generate_series(1, 20000) g;
  insert into raw values ('K1', date '2026-01-01', 1), ('K1', date '2026-01-01', 2), ('K7', date '2026-01-02', 3);
  create materialized view dup_mv as select * from raw;
`);
const checks = checksSchema.parse({
  dups: { kind: 'duplicate_check', columns: ['k', 'd'] },
  nulls: { kind: 'null_check', columns: ['v'] },
});
const run = (pool?: typeof t.db.pool) =>
  runChecks({
    client: t.client,
    view: { schema: 'public', name: 'dup_mv' },
    viewKey: 'public.dup_mv',
    checks,
    previousRowCount: null,
    history: [],
    previousColumns: null,
    pool,
  });

test('the duplicate sort on a second connection gives exactly the same results', async () => {
  const alone = await run();
  const beside = await run(t.db.pool);
  assert.deepEqual(beside.results, alone.results);
  const dups = beside.results.find((r) => r.check === 'dups')!;
  assert.equal(dups.status, 'error');
  // K1 on 01-01 three times, K7 on 01-02 twice: every row of a duplicate group counts.
  assert.equal(dups.details.duplicateRows, 5);
  assert.equal(dups.details.duplicateGroups, 2);
  assert.equal(beside.rowCount, 20003);
  // The second connection went back to the pool, its transaction ended.
  assert.equal(t.db.pool.waitingCount, 0);
  assert.equal(t.db.pool.idleCount, t.db.pool.totalCount);
  assert.equal(t.client.getTransactionStatus?.() ?? 'I', 'I');
});

test('a pool with no connection to spare: the checks run on the one connection, no wait', async () => {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: t.url, max: 1 });
  const own = await pool.connect(); // the pool's only connection is the engine's own
  try {
    const started = Date.now();
    const r = await runChecks({
      client: own,
      view: { schema: 'public', name: 'dup_mv' },
      viewKey: 'public.dup_mv',
      checks,
      previousRowCount: null,
      history: [],
      previousColumns: null,
      pool,
    });
    assert.equal(r.results.find((x) => x.check === 'dups')!.details.duplicateRows, 5);
    assert.ok(Date.now() - started < 5000);
  } finally {
    own.release();
    await pool.end();
  }
});
