/** The commands over the real CLI: deliveries [--failed], deliveries retry <id>, notify test <channel>, worker --once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Delivery } from '../../../src/notify/queries/deliveries.js';
import { runCli } from '../../helpers/cli.js';
import { FAST_DELIVERY, startReceiver, waitFor, wire, writeConfig } from './helpers.js';

test('deliveries, --failed, retry and worker --once; notify test', async () => {
  let up = false;
  const receiver = await startReceiver((_r, res) => void res.writeHead(up ? 200 : 503).end());
  const notify = {
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hooks/tok-secret-42` } },
    routes: [{ channels: ['hook'] }],
    delivery: { ...FAST_DELIVERY, maxAttempts: 2 },
  };
  const w = await wire(notify);
  const config = writeConfig({ notify });
  const cli = (...args: string[]) => runCli(['--config', config, ...args], { DATABASE_URL: w.url });

  const worker = await w.worker();
  await w.alerting.alertRefreshFailed('public.sales_mv', 'boom', 'full', 1);
  await waitFor(
    'a dead delivery',
    async () => (await cli('deliveries', '--failed', '--json')).json<Delivery[]>()[0],
  );
  await worker.stop();

  const failed = (await cli('deliveries', '--failed', '--json')).json<Delivery[]>();
  assert.equal(failed.length, 1);
  assert.deepEqual([failed[0]!.status, failed[0]!.attempts, failed[0]!.lastStatusCode], ['dead', 2, 503]);
  assert.doesNotMatch(failed[0]!.lastError ?? '', /tok-secret-42/, 'the URL token never reaches the log');
  const human = await cli('deliveries');
  assert.equal(human.code, 0);
  assert.match(human.stdout, /dead\s+2\/2\s+503/);

  up = true;
  const retried = await cli('deliveries', 'retry', String(failed[0]!.id), '--json');
  assert.equal(retried.code, 0, retried.stderr);
  assert.deepEqual([retried.json<Delivery>().status, retried.json<Delivery>().maxAttempts], ['pending', 4]);
  const once = await cli('worker', '--once', '--json');
  assert.equal(once.code, 0, once.stderr);
  const [after] = (await cli('deliveries', '--json'))
    .json<Delivery[]>()
    .filter((d) => d.id === failed[0]!.id);
  assert.deepEqual([after!.status, after!.attempts], ['delivered', 3]);
  // Two dead attempts and the retry, all with the one key. (The notification_failed message this
  // raised has a key of its own; when it is delivered depends on the machine's pace.)
  assert.equal(
    receiver.requests.filter((r) => r.headers['webhook-id'] === failed[0]!.notificationId).length,
    3,
    'the retry kept the idempotency key',
  );

  const again = await cli('deliveries', 'retry', String(failed[0]!.id));
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already arrived/);
  const unknown = await cli('deliveries', 'retry', '99999');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /No delivery has id 99999/);

  const before = receiver.requests.length;
  const ok = await cli('notify', 'test', 'hook', '--json');
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(
    [ok.json<{ ok: boolean }>().ok, ok.json<{ statusCode: number }>().statusCode],
    [true, 200],
  );
  assert.equal(receiver.requests.length, before + 1);
  assert.match(JSON.parse(receiver.requests.at(-1)!.body).text, /Test notification/);
  up = false;
  const down = await cli('notify', 'test', 'hook');
  assert.equal(down.code, 1);
  assert.match(down.stdout, /failed \(a retry may help\): HTTP 503/);
  const missing = await cli('notify', 'test', 'nope');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /No channel named nope under notify\.channels \(configured: hook\)/);
});

test('worker --once waits for a retry due within --wait; --wait 0s leaves it queued', async () => {
  let up = false;
  const receiver = await startReceiver((_r, res) => void res.writeHead(up ? 200 : 503).end());
  const notify = {
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook` } },
    routes: [{ channels: ['hook'] }],
    // A retry 1 s after a failure: far enough to be "later" for --wait 0s on a busy machine.
    delivery: { ...FAST_DELIVERY, backoff: '1s', maxBackoff: '1s', maxAttempts: 3 },
  };
  const w = await wire(notify);
  const config = writeConfig({ notify });
  const cli = (...args: string[]) => runCli(['--config', config, ...args], { DATABASE_URL: w.url });
  const delivery = async () => (await cli('deliveries', '--json')).json<Delivery[]>()[0];
  await w.alerting.alertRefreshFailed('public.sales_mv', 'boom', 'full', 1);

  const now = await cli('worker', '--once', '--wait', '0s', '--json');
  assert.equal(now.code, 0, now.stderr);
  assert.deepEqual([(await delivery())!.status, (await delivery())!.attempts], ['retrying', 1]);

  up = true;
  const drained = await cli('worker', '--once', '--json');
  assert.equal(drained.code, 0, drained.stderr);
  assert.deepEqual([(await delivery())!.status, (await delivery())!.attempts], ['delivered', 2]);
  assert.equal(receiver.requests.length, 2);

  const bad = await cli('worker', '--once', '--wait', 'soon');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--wait/);
});
