import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, test } from 'node:test';
import { createChannel } from '../../../src/notify/channels/index.js';
import { webhookConfigSchema } from '../../../src/notify/channels/webhook.js';
import { wecomConfigSchema } from '../../../src/notify/channels/wecom.js';
import { classifyStatus, parseRetryAfter } from '../../../src/notify/classify.js';
import { json, sampleNotification, startReceiver } from './helpers.js';

// One real server; the path picks the answer.
const receiver = await startReceiver((req, res) => {
  const path = req.url.split('?')[0];
  if (path === '/500') return res.writeHead(500).end('boom');
  if (path === '/503')
    return res.writeHead(503, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }).end();
  if (path === '/429') return res.writeHead(429, { 'retry-after': '7' }).end('slow down');
  if (path === '/408') return res.writeHead(408).end();
  if (path === '/400') return res.writeHead(400).end('bad payload');
  if (path === '/401') return res.writeHead(401).end();
  if (path === '/302') return res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
  if (path === '/wecom-limit') return json(res, 200, { errcode: 45009, errmsg: 'api freq out of limit' });
  if (path === '/hang') return; // never answers
  res.writeHead(200).end('ok');
});
after(() => receiver.close());

function webhook(path: string, timeout = '2s') {
  return createChannel(
    'h',
    webhookConfigSchema.parse({ type: 'webhook', url: receiver.base + path, timeout }),
  );
}

test('status classification against a real server', async () => {
  const cases: Array<[string, boolean, boolean, number | undefined]> = [
    // path, ok, retry, statusCode
    ['/200', true, false, 200],
    ['/500', false, true, 500],
    ['/503', false, true, 503],
    ['/429', false, true, 429],
    ['/408', false, true, 408],
    ['/400', false, false, 400],
    ['/401', false, false, 401],
    ['/302', false, false, 302],
  ];
  for (const [path, ok, retry, statusCode] of cases) {
    const r = await webhook(path).send(sampleNotification());
    assert.deepEqual([r.ok, r.retry, r.statusCode], [ok, retry, statusCode], path);
    assert.ok(r.latencyMs >= 0);
    if (!ok) assert.match(r.error!, new RegExp(`HTTP ${statusCode}`), path);
  }
});

test('Retry-After: 7 seconds → 7000 ms; an HTTP date → the time until then', async () => {
  const r429 = await webhook('/429').send(sampleNotification());
  assert.equal(r429.retryAfterMs, 7000);
  assert.match(r429.error!, /slow down/);
  const r503 = await webhook('/503').send(sampleNotification());
  assert.ok(r503.retryAfterMs! > 25_000 && r503.retryAfterMs! <= 30_000, String(r503.retryAfterMs));
  const r500 = await webhook('/500').send(sampleNotification());
  assert.equal(r500.retryAfterMs, undefined);
});

test('HTTP 200 with {"errcode":45009} is a failure to retry', async () => {
  const ch = createChannel(
    'w',
    wecomConfigSchema.parse({ type: 'wecom', url: `${receiver.base}/wecom-limit?key=k-123456` }),
  );
  const r = await ch.send(sampleNotification());
  assert.deepEqual([r.ok, r.retry, r.statusCode], [false, true, 200]);
});

test('a receiver that never answers times out (200 ms) and retries', async () => {
  const started = Date.now();
  const r = await webhook('/hang', '200ms').send(sampleNotification());
  const took = Date.now() - started;
  assert.deepEqual([r.ok, r.retry, r.statusCode], [false, true, undefined]);
  assert.match(r.error!, /timed out after 200 ms/);
  assert.ok(took >= 190 && took < 2000, `took ${took} ms`);
});

test('the caller aborting (worker shutdown) ends the attempt as retryable', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const r = await webhook('/hang', '10s').send(sampleNotification(), controller.signal);
  assert.deepEqual([r.ok, r.retry], [false, true]);
  assert.match(r.error!, /cancelled/);
});

test('connection refused retries', async () => {
  // Take a free port from the OS, then close it so nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const ch = createChannel(
    'h',
    webhookConfigSchema.parse({ type: 'webhook', url: `http://127.0.0.1:${port}/x` }),
  );
  const r = await ch.send(sampleNotification());
  assert.deepEqual([r.ok, r.retry], [false, true]);
  assert.match(r.error!, /ECONNREFUSED/);
});

test('classifyStatus table', () => {
  const table: Array<[number, boolean, boolean]> = [
    [200, true, false],
    [204, true, false],
    [301, false, false],
    [400, false, false],
    [403, false, false],
    [404, false, false],
    [408, false, true],
    [409, false, false],
    [429, false, true],
    [500, false, true],
    [502, false, true],
    [599, false, true],
  ];
  for (const [status, ok, retry] of table)
    assert.deepEqual(classifyStatus(status), { ok, retry }, String(status));
});

test('parseRetryAfter table', () => {
  const now = Date.parse('2024-05-01T08:00:00Z');
  const table: Array<[string | null, number | undefined]> = [
    [null, undefined],
    ['', undefined],
    ['7', 7000],
    [' 0 ', 0],
    ['1.5', 1500],
    ['Wed, 01 May 2024 08:00:30 GMT', 30_000],
    ['Wed, 01 May 2024 07:59:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
  ];
  for (const [value, expected] of table) assert.equal(parseRetryAfter(value, now), expected, String(value));
});
