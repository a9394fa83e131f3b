import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { connect } from 'nats';
import { createChannel } from '../../../src/notify/channels/index.js';
import { natsConfigSchema } from '../../../src/notify/channels/nats.js';
import { sampleNotification } from './helpers.js';

/** The NATS server on this machine (CI starts the same, with JetStream on). */
const SERVER = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

const nc = await connect({ servers: SERVER });
after(() => nc.close());

function channel(config: Record<string, unknown>) {
  return createChannel(
    'bus',
    natsConfigSchema.parse({ type: 'nats', servers: SERVER, timeout: '3s', ...config }),
  );
}

test('core NATS: a subscriber on the subject receives the payload with Nats-Msg-Id', async () => {
  const prefix = `mvwatch.test.${randomBytes(4).toString('hex')}`;
  const sub = nc.subscribe(`${prefix}.>`, { max: 1 });
  await nc.flush();
  const ch = channel({ subject: `${prefix}.{severity}.{view}` });
  try {
    const r = await ch.send(sampleNotification({ id: 'ntf_nats_1' }));
    assert.equal(r.ok, true, r.error);
    for await (const msg of sub) {
      assert.equal(
        msg.subject,
        `${prefix}.error.analytics_sector_daily_mv`,
        'the dot in the view is escaped',
      );
      assert.equal(msg.headers?.get('Nats-Msg-Id'), 'ntf_nats_1');
      const body = JSON.parse(new TextDecoder().decode(msg.data));
      assert.equal(body.id, 'ntf_nats_1');
      assert.equal(body.view, 'analytics.sector_daily_mv');
    }
  } finally {
    await ch.close?.();
  }
});

test('JetStream: the PubAck is awaited, and the same id twice is stored once', async () => {
  const jsm = await nc.jetstreamManager();
  const name = `MVWATCH_TEST_${randomBytes(4).toString('hex').toUpperCase()}`;
  const subject = `mvwatch.js.${name.toLowerCase()}`;
  await jsm.streams.add({ name, subjects: [subject] });
  const ch = channel({ subject, jetstream: true });
  try {
    const n = sampleNotification({ id: `ntf_js_${name}` });
    const first = await ch.send(n);
    const second = await ch.send(n);
    assert.equal(first.ok, true, first.error);
    assert.equal(second.ok, true, second.error);
    assert.equal((await jsm.streams.info(name)).state.messages, 1, 'deduplicated by Nats-Msg-Id');
    const stored = await jsm.streams.getMessage(name, { seq: 1 });
    assert.equal(stored.header.get('Nats-Msg-Id'), n.id);
    assert.equal(JSON.parse(new TextDecoder().decode(stored.data)).id, n.id);
    assert.equal((await ch.send(sampleNotification({ id: `other_${name}` }))).ok, true);
    assert.equal((await jsm.streams.info(name)).state.messages, 2);
  } finally {
    await ch.close?.();
    await jsm.streams.delete(name);
  }
});

test('JetStream without a stream on the subject: a retryable failure (no responders)', async () => {
  const ch = channel({ subject: `mvwatch.nostream.${randomBytes(4).toString('hex')}`, jetstream: true });
  try {
    const r = await ch.send(sampleNotification());
    assert.deepEqual([r.ok, r.retry], [false, true]);
    assert.match(r.error!, /503|no responders/i);
  } finally {
    await ch.close?.();
  }
});

test('a closed channel opens a new connection on its next send', async () => {
  const ch = channel({ subject: 'mvwatch.test.reopen' });
  assert.equal((await ch.send(sampleNotification())).ok, true);
  await ch.close?.();
  assert.equal((await ch.send(sampleNotification())).ok, true, 'a send after close opens a new connection');
  await ch.close?.();
});

test('an unreachable server: a retryable failure, the token never shown', async () => {
  const ch = channel({ servers: 'nats://127.0.0.1:1', token: 'nats-SECRET-token', subject: 'x' });
  const r = await ch.send(sampleNotification());
  await ch.close?.();
  assert.deepEqual([r.ok, r.retry], [false, true]);
  assert.ok(!r.error!.includes('nats-SECRET-token'), r.error);
});
