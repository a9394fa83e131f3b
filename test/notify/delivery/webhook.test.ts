/**
 * A real webhook receiver that verifies Standard Webhooks signatures, answering 500 twice and then
 * 200: delivered once, three attempts logged, the same webhook-id every time.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { listAttempts } from '../../../src/notify/queries/deliveries.js';
import { rows, startReceiver, waitFor, wire } from './helpers.js';

const SECRET_KEY = Buffer.from('mvwatch delivery test key');
const SECRET = `whsec_${SECRET_KEY.toString('base64')}`;

/** The receiver's own check, written from the spec, not from mvwatch's signing code. */
function verify(headers: Record<string, string | string[] | undefined>, body: string): boolean {
  const id = String(headers['webhook-id']);
  const ts = String(headers['webhook-timestamp']);
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const expected = createHmac('sha256', SECRET_KEY).update(`${id}.${ts}.${body}`).digest('base64');
  return String(headers['webhook-signature'])
    .split(' ')
    .some((s) => s === `v1,${expected}`);
}

test('500, 500, 200: delivered once after three logged attempts with one webhook-id', async () => {
  const receiver = await startReceiver((req, res, i) => {
    if (!verify(req.headers, req.body)) return void res.writeHead(401).end('bad signature');
    res.writeHead(i < 2 ? 500 : 200).end(i < 2 ? 'try later' : 'ok');
  });
  const w = await wire({
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hook`, secret: SECRET } },
    routes: [{ channels: ['hook'] }],
  });
  await w.worker();
  const alertId = await w.alerting.alertRefreshFailed(
    'public.sales_mv',
    'relation does not exist',
    'full',
    1.5,
  );

  await waitFor('the third attempt', () => receiver.requests.length >= 3);
  const [delivery] = await waitFor('a delivered delivery', () =>
    rows<{ id: number; status: string; attempts: number; alert_ids: number[] }>(
      w.db,
      `select id, status, attempts, alert_ids from :S.materialized_views_deliveries where status = 'delivered'`,
    ).then((r) => (r.length ? r : null)),
  );
  assert.equal(receiver.requests.length, 3);
  assert.ok(
    receiver.requests.every((r) => verify(r.headers, r.body)),
    'every request is validly signed',
  );
  const ids = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
  assert.equal(ids.size, 1, 'one idempotency key across the retries');
  const body = JSON.parse(receiver.requests[2]!.body);
  assert.equal(body.id, [...ids][0]);
  assert.equal(body.incidents[0].id, alertId);
  assert.equal(body.transition, 'firing');

  assert.equal(delivery!.attempts, 3);
  assert.deepEqual(delivery!.alert_ids.map(Number), [alertId]);
  const log = await listAttempts({ client: w.db.pool, s: w.db.s }, delivery!.id);
  assert.deepEqual(
    log.map((a) => [a.attempt, a.status, a.statusCode]),
    [
      [1, 'retrying', 500],
      [2, 'retrying', 500],
      [3, 'delivered', 200],
    ],
  );
  assert.ok(log.every((a) => a.notificationId === [...ids][0]));
  assert.match(log[0]!.error ?? '', /HTTP 500/);
});

test('a non-retryable 4xx is permanent at once: one attempt, status failed', async () => {
  const receiver = await startReceiver((_req, res) => void res.writeHead(404).end('no such hook'));
  const w = await wire({
    channels: { hook: { type: 'webhook', url: `${receiver.base}/hooks/secret-token-123` } },
    routes: [{ channels: ['hook'] }],
  });
  await w.worker();
  await w.alerting.alertRefreshFailed('public.sales_mv', 'boom', 'full', 1);
  const [d] = await waitFor('a failed delivery', () =>
    rows<{ id: number; attempts: number; last_error: string }>(
      w.db,
      `select id, attempts, last_error from :S.materialized_views_deliveries where status = 'failed'`,
    ).then((r) => (r.length ? r : null)),
  );
  assert.equal(d!.attempts, 1);
  assert.equal(receiver.requests.length, 1);
  assert.doesNotMatch(d!.last_error, /secret-token-123/, 'the URL token is redacted');
});
