/**
 * The database restarts under a running worker: the worker keeps running (its loops log and
 * retry), and alerts raised after the restart are delivered. A PostgreSQL of the test's own
 * (embedded, on its own port) is stopped and started; the shared servers are never touched.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MaterializedViewAlerting } from '../../../src/alerts/alerting.js';
import { createDb } from '../../../src/db/db.js';
import { ensureEmbedded } from '../../../src/db/embedded.js';
import { migrate } from '../../../src/db/migrate.js';
import { createLogger } from '../../../src/log.js';
import { FAST_DELIVERY, sleep, spawnCli, startReceiver, waitFor, wire, writeConfig } from './helpers.js';

test('a database restart under a running worker loses nothing raised after it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mvwatch-restart-'));
  const pgDir = join(dir, '.mvwatch');
  // A port of its own, away from the suite's embedded server and any demo.
  const port = 56000 + (process.pid % 1000);
  after(() => {
    const moved = join(pgDir, 'embedded-location.txt');
    if (existsSync(moved)) rmSync(readFileSync(moved, 'utf8').trim(), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });
  let server = await ensureEmbedded({ dir: pgDir, port });
  let worker: ReturnType<typeof spawnCli> | undefined;
  after(async () => {
    // A failed assertion leaves the worker connected, and a server with clients never stops.
    if (worker?.exitCode === null) worker.kill('SIGKILL');
    await server.stop();
  });
  const receiver = await startReceiver();
  const notify = {
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook` } },
    routes: [{ channels: ['hook'] }],
    delivery: FAST_DELIVERY,
  };
  const config = writeConfig({ notify });
  worker = spawnCli(['--config', config, '--database-url', server.url, '--log-level', 'debug', 'worker'], {});
  await waitFor('the worker to start', () => /worker running/.test(worker.output()), 30_000);

  await server.stop();
  await sleep(1500); // the worker's loops meet a dead server for a while
  assert.equal(worker.exitCode, null, 'the worker survives the outage');
  server = await ensureEmbedded({ dir: pgDir, port });
  assert.equal(server.started, true);

  const db = createDb({ url: server.url });
  after(() => db.close());
  await migrate(db);
  const alerting = new MaterializedViewAlerting(db, {});
  // Raised through a notifier-wired CLI so the delivery job is queued in the alert's transaction.
  const raise = spawnCli(['--config', config, '--database-url', server.url, 'refresh', 'public.gone_mv'], {});
  assert.equal((await raise.exited).code, 1);
  await waitFor('the delivery after the restart', () => receiver.requests.length >= 1, 30_000).catch((e) => {
    throw new Error(`${(e as Error).message}; worker said:\n${worker.output()}`);
  });
  const body = JSON.parse(receiver.requests[0]!.body);
  assert.equal(body.view, 'public.gone_mv');
  assert.equal(worker.exitCode, null, 'still running');
  assert.ok((await alerting.getAlertHistory({ view: 'public.gone_mv' })).length === 1);
  worker.kill('SIGTERM');
  const exit = await Promise.race([worker.exited, sleep(15_000).then(() => null)]);
  assert.ok(exit, `the worker did not stop within 15 s of SIGTERM; it said:\n${worker.output()}`);
  assert.equal(exit.code, 0);
});

test('a runner whose first job fetch failed is replaced once the database answers', async () => {
  const receiver = await startReceiver();
  const w = await wire({
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook` } },
    routes: [{ channels: ['hook'] }],
  });
  // graphile-worker 0.17 looks its task ids up once, on the first fetch, and remembers a failure
  // for good. Hide the table that look-up writes, so that first fetch fails.
  await w.db.query('alter table mvwatch_worker._private_tasks rename to _private_tasks_hidden');
  const lines: string[] = [];
  const log = createLogger('debug', {
    write: (l: string) => lines.push(l) > 0,
  } as unknown as NodeJS.WritableStream);
  await w.worker({ log, alerting: w.alerting });
  await waitFor('a failed fetch', () => lines.some((l) => l.includes('Error occurred fetching jobs')));
  await w.db.query('alter table mvwatch_worker._private_tasks_hidden rename to _private_tasks');

  await w.alerting.alertRefreshFailed('public.wedge_mv', 'boom', 'full', 1);
  await waitFor('the delivery through the fresh runner', () => receiver.requests.length >= 1, 15_000).catch(
    (e) => {
      throw new Error(`${(e as Error).message}; worker said:\n${lines.join('')}`);
    },
  );
  assert.ok(lines.some((l) => l.includes('restarted its job runner')));
  assert.equal(JSON.parse(receiver.requests[0]!.body).view, 'public.wedge_mv');
});
