import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MaterializedViewMonitor } from '../../src/monitor/monitor.js';
import { MaterializedViewRefresh } from '../../src/refresh/refresh.js';
import { freshDatabase } from '../helpers/db.js';

const { db } = await freshDatabase();
const monitor = new MaterializedViewMonitor(db);
const refresher = new MaterializedViewRefresh(db);

await db.query(`
  create table t (id int, d int);
  insert into t select g, 1 from generate_series(1, 5) g;
  create materialized view mv as select id, 10 / d as q from t;
`);

test('never refreshed: status never_refreshed, empty history', async () => {
  const s = await monitor.getLatestRefreshStatus('mv');
  assert.equal(s.status, 'never_refreshed');
  assert.equal(s.view, 'public.mv');
  assert.deepEqual(await monitor.getRefreshHistory('mv'), []);
});

test('every run is history; a failed run keeps the last good row count', async () => {
  const ok = await refresher.refresh('mv', { strategy: 'full' });
  const okId = await monitor.recordRefreshMetadata(ok, { sourceTables: ['public.t'], trigger: 'cli' });
  await db.query('update t set d = 0 where id = 3'); // the next refresh divides by zero
  const bad = await refresher.refresh('mv', { strategy: 'full' });
  assert.equal(bad.status, 'failed');
  const badId = await monitor.recordRefreshMetadata(bad);
  assert.ok(badId > okId);

  const latest = await monitor.getLatestRefreshStatus('public.mv');
  assert.equal(latest.status, 'failed');
  assert.equal(latest.rowCount, 5, 'the failed refresh must not zero the row count');
  assert.match(latest.errorMessage!, /division by zero/);
  assert.deepEqual(latest.sourceTables, ['public.t']);
  assert.equal(latest.lastSuccessTime, ok.finishedAt);

  const history = await monitor.getRefreshHistory('mv');
  assert.deepEqual(
    history.map((h) => h.status),
    ['failed', 'success'],
  );
  assert.equal(history[0]!.sqlstate, '22012');
  assert.equal(history[0]!.errorKind, 'error');
  assert.equal(history[1]!.rowCount, 5);
  assert.equal(history[1]!.trigger, 'cli');
  assert.equal((await monitor.getRefreshHistory('mv', 1)).length, 1);
});

test('skipped runs are history but do not touch the latest state', async () => {
  const before = await monitor.getLatestRefreshStatus('mv');
  const now = new Date().toISOString();
  await monitor.recordRefreshMetadata({
    view: 'public.mv',
    status: 'skipped',
    strategy: 'auto',
    usedStrategy: null,
    fallback: false,
    startedAt: now,
    finishedAt: now,
    durationMs: 0.1,
    rowCount: null,
    runId: null,
  });
  assert.deepEqual(await monitor.getLatestRefreshStatus('mv'), before);
  assert.equal((await monitor.getRefreshHistory('mv'))[0]!.status, 'skipped');
});

test('quality checks are recorded and read back newest first', async () => {
  await monitor.recordQualityCheck('mv', 'null_check', 'pass', 'No nulls', { columns: ['id'] });
  const id = await monitor.recordQualityCheck(
    'mv',
    'dups',
    'error',
    '2 duplicate rows',
    { duplicate_rows: 2 },
    { kind: 'duplicate_check' },
  );
  const h = await monitor.getQualityCheckHistory('mv');
  assert.equal(h[0]!.id, id);
  assert.equal(h[0]!.kind, 'duplicate_check');
  assert.deepEqual(h[0]!.details, { duplicate_rows: 2 });
  assert.equal(h[1]!.check, 'null_check');
  assert.equal((await monitor.getQualityCheckHistory('mv', 1)).length, 1);
});

test('checks of a view never refreshed still record (metadata row created)', async () => {
  await monitor.recordQualityCheck('other.view_x', 'c', 'warning', 'w');
  assert.equal((await monitor.getQualityCheckHistory('other.view_x')).length, 1);
  assert.equal((await monitor.getLatestRefreshStatus('other.view_x')).status, 'never_refreshed');
});
