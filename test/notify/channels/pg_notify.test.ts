import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import pg from 'pg';
import { createChannel } from '../../../src/notify/channels/index.js';
import { PG_NOTIFY_MAX_BYTES, pgNotifyConfigSchema } from '../../../src/notify/channels/pg_notify.js';
import { compactPayload } from '../../../src/notify/payload.js';
import { freshDatabase } from '../../helpers/db.js';
import { sampleAlert, sampleNotification } from './helpers.js';

const { db, url } = await freshDatabase();
const listener = new pg.Client({ connectionString: url });
// freshDatabase's own after-hook (registered first) drops the database with force, ending this
// connection from the server side: expected, not a failure.
listener.on('error', () => {});
await listener.connect();
after(() => listener.end().catch(() => {}));

// A channel name that needs quoting in `LISTEN`: pg_notify takes it as a bound value.
const CHANNEL = 'mvwatch alerts.v1';
await listener.query(`listen "${CHANNEL}"`);

function nextNotification(timeoutMs = 5000): Promise<pg.Notification> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no notification within 5 s')), timeoutMs);
    listener.once('notification', (msg) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}

const channel = createChannel('pg', pgNotifyConfigSchema.parse({ type: 'pg_notify', channel: CHANNEL }), {
  db,
});

test('a listener on another connection receives the compact JSON payload', async () => {
  const arriving = nextNotification();
  const r = await channel.send(sampleNotification({ id: 'ntf_pg_1' }));
  assert.equal(r.ok, true, r.error);
  const msg = await arriving;
  assert.equal(msg.channel, CHANNEL);
  const payload = JSON.parse(msg.payload!);
  assert.equal(payload.id, 'ntf_pg_1');
  assert.equal(payload.count, 1);
  assert.equal(payload.alerts[0].id, 42);
  assert.deepEqual(payload.alerts[0].details, { sqlstate: '42P01' });
  assert.equal(payload.truncated, undefined);
});

test('an oversized notification (an alert storm with long messages) still arrives, under 8000 bytes', async () => {
  const alerts = Array.from({ length: 300 }, (_, i) =>
    sampleAlert({
      id: i + 1,
      message: `第${i}条：${'数据异常'.repeat(100)}`,
      details: { rows: Array.from({ length: 50 }, (_, j) => j) },
    }),
  );
  const arriving = nextNotification();
  const r = await channel.send(sampleNotification({ id: 'ntf_pg_big', alerts }));
  assert.equal(r.ok, true, r.error);
  const msg = await arriving;
  assert.ok(Buffer.byteLength(msg.payload!) < 8000, `${Buffer.byteLength(msg.payload!)} bytes`);
  const payload = JSON.parse(msg.payload!);
  assert.equal(payload.id, 'ntf_pg_big');
  assert.equal(payload.count, 300);
  assert.equal(payload.truncated, true);
  assert.ok(payload.alerts.length >= 1);
  assert.equal(payload.omitted, 300 - payload.alerts.length);
  assert.equal(payload.alerts[0].details, undefined, 'details dropped first');
});

test('compactPayload shrinks step by step and always fits', () => {
  const one = sampleNotification({
    alerts: [sampleAlert({ message: 'm'.repeat(3000), details: { blob: 'x'.repeat(6000) } })],
  });
  const lean = JSON.parse(compactPayload(one, PG_NOTIFY_MAX_BYTES));
  assert.equal(lean.alerts[0].details, undefined);
  assert.equal(lean.alerts[0].message.length, 3000, 'dropping details was enough');
  const short = JSON.parse(compactPayload(one, 1200));
  assert.ok(short.alerts[0].message.length <= 201);
  for (const max of [300, 600, 2000, PG_NOTIFY_MAX_BYTES]) {
    assert.ok(Buffer.byteLength(compactPayload(one, max)) <= max, String(max));
  }
});

test('an SQL failure is permanent; a database that is gone is retried', async () => {
  const tooLong = createChannel('pg', { type: 'pg_notify', channel: 'x'.repeat(70) }, { db });
  const r = await tooLong.send(sampleNotification());
  assert.deepEqual([r.ok, r.retry], [false, false]);
  assert.match(r.error!, /too long/);
  assert.equal(pgNotifyConfigSchema.safeParse({ type: 'pg_notify', channel: 'x'.repeat(70) }).success, false);

  const { createDb } = await import('../../../src/db/db.js');
  const gone = createDb({ url: 'postgres://postgres:pw-SECRET@127.0.0.1:1/none', max: 1 });
  const down = createChannel('pg', { type: 'pg_notify', channel: 'c' }, { db: gone });
  const d = await down.send(sampleNotification());
  await gone.close();
  assert.deepEqual([d.ok, d.retry], [false, true]);
  assert.ok(!d.error!.includes('pw-SECRET'));
});

test('pg_notify without a database is a configuration error', () => {
  assert.throws(() => createChannel('pg', { type: 'pg_notify', channel: 'c' }), {
    code: 'MVW_INVALID_CONFIG',
  });
});
