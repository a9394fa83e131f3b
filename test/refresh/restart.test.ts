import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MaterializedViewTask } from '../../src/task/task.js';
import { freshDatabase } from '../helpers/db.js';

const { db, name } = await freshDatabase();
await db.query(`
  create materialized view slow_mv as select 1 as s from pg_sleep(2) with no data;
  create materialized view quick_mv as select generate_series(1, 3) as n;
`);

/** Kills every other backend of this test database, as a server restart would. */
async function terminateOthers(): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = $1 and pid <> pg_backend_pid() and query ilike 'refresh materialized view%'`,
    [name],
  );
  return rows[0]!.n;
}

test('a connection killed mid-refresh: a clear failed result, nothing lost, the next run works', async () => {
  const running = new MaterializedViewTask(db, { view: 'slow_mv', strategy: 'full' }).run();
  // Wait until the refresh is really running on the server.
  for (let i = 0; i < 50; i++) {
    const { rows } = await db.query(
      `select 1 from pg_stat_activity where datname = $1 and query ilike 'refresh materialized view%' and state = 'active'`,
      [name],
    );
    if (rows.length) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(await terminateOthers(), 1);
  const r = await running;
  assert.equal(r.status, 'failed');
  assert.equal(r.refresh.error?.sqlstate, '57P01');
  assert.equal(r.refresh.error?.kind, 'error');
  assert.ok(r.refresh.runId, 'the failure itself is recorded');
  assert.equal(r.alerts.length, 1);

  // The pool dropped the dead connection: the next runs just work.
  const again = await new MaterializedViewTask(db, { view: 'quick_mv' }).run();
  assert.equal(again.status, 'success');
  assert.equal(again.refresh.rowCount, 3);
});
