import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Socket, connect as tcpConnect } from 'node:net';
import { after, test } from 'node:test';
import amqp, { type GetMessage } from 'amqplib';
import { amqpConfigSchema } from '../../../src/notify/channels/amqp.js';
import { createChannel } from '../../../src/notify/channels/index.js';
import type { Channel } from '../../../src/notify/types.js';
import { sampleNotification } from './helpers.js';

/** The RabbitMQ on this machine (CI starts the same). */
const BROKER = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const conn = await amqp.connect(BROKER);
const admin = await conn.createChannel();
const exchanges: string[] = [];
after(async () => {
  for (const e of exchanges) await admin.deleteExchange(e).catch(() => {});
  await conn.close();
});

/** A unique exchange (declared by the channel under test) and a temp queue bound to it. */
async function setup(routingPattern = '#') {
  const exchange = `mvwatch.test.${randomBytes(4).toString('hex')}`;
  exchanges.push(exchange);
  await admin.assertExchange(exchange, 'topic', { durable: true });
  // Exclusive: gone with the test's connection. Not autoDelete, which would drop it when the first consumer leaves.
  const { queue } = await admin.assertQueue('', { exclusive: true });
  await admin.bindQueue(queue, exchange, routingPattern);
  return { exchange, queue };
}

/** The next message of the queue (basic.get, polled: one message at a time, nothing left unacked). */
async function nextMessage(queue: string, timeoutMs = 5000): Promise<GetMessage> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const msg = await admin.get(queue, { noAck: true });
    if (msg) return msg;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no message within ${timeoutMs} ms`);
}

function channel(config: Record<string, unknown>): Channel {
  return createChannel('mq', amqpConfigSchema.parse({ type: 'amqp', url: BROKER, timeout: '5s', ...config }));
}

test('publishes a persistent message with messageId = notification id, confirmed by the broker', async () => {
  const { exchange, queue } = await setup();
  const ch = channel({ exchange, declare: true });
  try {
    const n = sampleNotification({ id: 'ntf_amqp_1', transition: 'escalated' });
    const r = await ch.send(n);
    assert.equal(r.ok, true, r.error);
    const msg = await nextMessage(queue);
    assert.equal(msg.properties.messageId, 'ntf_amqp_1');
    assert.equal(msg.properties.deliveryMode, 2, 'persistent');
    assert.equal(msg.properties.contentType, 'application/json');
    assert.equal(msg.fields.routingKey, 'mvwatch.error.escalated');
    const body = JSON.parse(msg.content.toString());
    assert.equal(body.id, 'ntf_amqp_1');
    assert.equal(body.incidents[0].id, 42);
  } finally {
    await ch.close?.();
  }
});

test('the connection is reused, and re-opened after it breaks', async () => {
  const { exchange, queue } = await setup();
  // A TCP proxy in front of the broker lets the test cut the connection like a network failure.
  const sockets = new Set<Socket>();
  let accepted = 0;
  const proxy = createServer((client) => {
    accepted++;
    const upstream = tcpConnect(5672, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  const ch = channel({ url: `amqp://guest:guest@127.0.0.1:${port}`, exchange });
  try {
    assert.equal((await ch.send(sampleNotification({ id: 'a1' }))).ok, true);
    assert.equal((await ch.send(sampleNotification({ id: 'a2' }))).ok, true);
    assert.equal(accepted, 1, 'two sends, one connection');
    for (const s of sockets) s.destroy();
    // Let the client notice the closed socket.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const r = await ch.send(sampleNotification({ id: 'a3' }));
    assert.equal(r.ok, true, r.error);
    assert.equal(accepted, 2, 'a new connection after the break');
    const ids = [
      (await nextMessage(queue)).properties.messageId,
      (await nextMessage(queue)).properties.messageId,
    ];
    ids.push((await nextMessage(queue)).properties.messageId);
    assert.deepEqual(ids, ['a1', 'a2', 'a3']);
  } finally {
    await ch.close?.();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  }
});

test('a missing exchange is a permanent failure; the same channel works once it exists', async () => {
  const exchange = `mvwatch.test.${randomBytes(4).toString('hex')}`;
  const ch = channel({ exchange });
  try {
    const r = await ch.send(sampleNotification());
    assert.deepEqual([r.ok, r.retry], [false, false]);
    assert.match(r.error!, /404|NOT_FOUND/);
    exchanges.push(exchange);
    await admin.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await admin.assertQueue('', { exclusive: true });
    await admin.bindQueue(queue, exchange, '#');
    const again = await ch.send(sampleNotification({ id: 'after-404' }));
    assert.equal(again.ok, true, again.error);
    assert.equal((await nextMessage(queue)).properties.messageId, 'after-404');
  } finally {
    await ch.close?.();
  }
});

test('no queue bound for the routing key: returned by the broker, a retryable failure, not a silent drop', async () => {
  // Bound only to resolved messages; the sample is a firing one.
  const { exchange, queue } = await setup('mvwatch.*.resolved');
  const ch = channel({ exchange });
  const dropping = channel({ exchange, mandatory: false });
  try {
    const r = await ch.send(sampleNotification({ id: 'unroutable-1' }));
    assert.deepEqual([r.ok, r.retry], [false, true]);
    assert.match(r.error!, /312 NO_ROUTE/);
    assert.match(r.error!, /mvwatch\.error\.firing/, 'names the routing key');
    // The same channel goes on working for messages that do route.
    const ok = await ch.send(sampleNotification({ id: 'routed-1', transition: 'resolved' }));
    assert.equal(ok.ok, true, ok.error);
    assert.equal((await nextMessage(queue)).properties.messageId, 'routed-1');
    // mandatory: false keeps the broker's default: confirmed, and dropped.
    const dropped = await dropping.send(sampleNotification({ id: 'unroutable-2' }));
    assert.equal(dropped.ok, true, dropped.error);
    assert.equal(await admin.get(queue, { noAck: true }), false, 'nothing reached the queue');
  } finally {
    await ch.close?.();
    await dropping.close?.();
  }
});

test('wrong credentials: a failure whose error does not show the password', async () => {
  const ch = channel({ url: 'amqp://guest:wrong-SECRET-pw@127.0.0.1:5672', exchange: 'amq.topic' });
  try {
    const r = await ch.send(sampleNotification());
    assert.equal(r.ok, false);
    assert.equal(r.retry, false, r.error);
    assert.match(r.error!, /ACCESS.REFUSED/);
    assert.ok(!r.error!.includes('wrong-SECRET-pw'), r.error);
  } finally {
    await ch.close?.();
  }
});

test('config: declaring the default exchange is refused', () => {
  const r = amqpConfigSchema.safeParse({ type: 'amqp', url: BROKER, exchange: '', declare: true });
  assert.equal(r.success, false);
  assert.deepEqual(r.error!.issues[0]!.path, ['declare']);
});
