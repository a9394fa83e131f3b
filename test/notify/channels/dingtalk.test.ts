import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, test } from 'node:test';
import { dingtalkConfigSchema } from '../../../src/notify/channels/dingtalk.js';
import { createChannel } from '../../../src/notify/channels/index.js';
import { dingtalkSign } from '../../../src/notify/signing.js';
import { json, sampleAlert, sampleNotification, startReceiver } from './helpers.js';

const SECRET = 'SEC-dingtalk-test';
const TOKEN = 'dt-access-token-SECRET';

/** DingTalk's check, re-implemented from its documentation: HMAC key = secret, message "{timestamp}\n{secret}". */
function expectedSign(timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

// Answers like DingTalk: errcode 310000 for a bad signature, 0 otherwise.
const receiver = await startReceiver((req, res) => {
  const q = new URL(req.url, 'http://x').searchParams;
  if (q.get('access_token') !== TOKEN)
    return json(res, 200, { errcode: 300001, errmsg: 'token is not exist' });
  const timestamp = q.get('timestamp');
  // URLSearchParams decodes the urlencoded signature back to base64.
  if (timestamp !== null && q.get('sign') !== expectedSign(timestamp, SECRET)) {
    return json(res, 200, { errcode: 310000, errmsg: 'sign not match' });
  }
  json(res, 200, { errcode: 0, errmsg: 'ok' });
});
after(() => receiver.close());

function channel(config: Record<string, unknown>) {
  return createChannel(
    'ding',
    dingtalkConfigSchema.parse({
      type: 'dingtalk',
      url: `${receiver.base}/robot/send?access_token=${TOKEN}`,
      ...config,
    }),
  );
}

test('known answer: timestamp 1577262236757 with secret SEC-dingtalk-test', () => {
  // HMAC computed once outside Node: `printf '1577262236757\nSEC-dingtalk-test' | openssl dgst -sha256 -hmac SEC-dingtalk-test`.
  const hex = '9efb8ebb6e2ac9c600e8e7e8c125c08b7c937364bf47173d12cbf6b42a378d5f';
  const base64 = Buffer.from(hex, 'hex').toString('base64');
  assert.equal(base64, 'nvuOu24qycYA6OfowSXAi3yTc2S/Rxc9Esv2tCo3jV8=');
  assert.equal(dingtalkSign(1577262236757, SECRET), 'nvuOu24qycYA6OfowSXAi3yTc2S%2FRxc9Esv2tCo3jV8%3D');
  assert.equal(
    decodeURIComponent(dingtalkSign(1577262236757, SECRET)),
    expectedSign('1577262236757', SECRET),
  );
});

test('signed send: timestamp in ms and the urlencoded sign in the query; the receiver re-computes it', async () => {
  const result = await channel({ secret: SECRET }).send(sampleNotification());
  assert.deepEqual([result.ok, result.retry], [true, false]);
  const req = receiver.requests.at(-1)!;
  const raw = req.url.split('?')[1]!;
  const q = new URLSearchParams(raw);
  assert.ok(Math.abs(Number(q.get('timestamp')) - Date.now()) < 5000, 'timestamp is in milliseconds');
  assert.match(raw, /&sign=[A-Za-z0-9%]+$/, 'the base64 signature is urlencoded');
  assert.equal(q.get('sign'), expectedSign(q.get('timestamp')!, SECRET));
});

test('markdown with owners: at.atMobiles and @mobile in the text', async () => {
  const n = sampleNotification({
    locale: 'zh',
    alerts: [sampleAlert({ labels: { owner: '13800000000', owners: 'dingtalk:manager7, bob@example.com' } })],
  });
  await channel({}).send(n);
  const body = JSON.parse(receiver.requests.at(-1)!.body);
  assert.equal(body.msgtype, 'markdown');
  assert.equal(body.markdown.title, '【告警】错误 刷新失败: analytics.sector_daily_mv');
  assert.match(body.markdown.text, /^### 【告警】错误 刷新失败/);
  assert.match(body.markdown.text, /@13800000000 @manager7$/);
  assert.deepEqual(body.at, { atMobiles: ['13800000000'], atUserIds: ['manager7'], isAtAll: false });
});

test('a wrong secret is a permanent failure; 130101 (too fast) retries; the token never shows', async () => {
  const bad = await channel({ secret: 'SEC-wrong-secret' }).send(sampleNotification());
  assert.deepEqual([bad.ok, bad.retry], [false, false]);
  assert.match(bad.error!, /DingTalk error 310000/);
  for (const secret of [TOKEN, 'SEC-wrong-secret']) assert.ok(!bad.error!.includes(secret));

  const limited = await startReceiver((_req, res) =>
    json(res, 200, { errcode: 130101, errmsg: 'send too fast' }),
  );
  const ch = createChannel(
    'd',
    dingtalkConfigSchema.parse({ type: 'dingtalk', url: `${limited.base}/robot/send?access_token=${TOKEN}` }),
  );
  const r = await ch.send(sampleNotification());
  await limited.close();
  assert.deepEqual([r.ok, r.retry], [false, true]);
  assert.ok(!r.error!.includes(TOKEN));
});

test('rate key: one per robot, shared by channels on the same URL, without the token in it', () => {
  const make = (name: string, config: Record<string, unknown>) =>
    createChannel(name, dingtalkConfigSchema.parse({ type: 'dingtalk', ...config }));
  const a = make('a', { accessToken: 'tok-secret-1' });
  const b = make('b', { url: 'https://oapi.dingtalk.com/robot/send?access_token=tok-secret-1' });
  const c = make('c', { accessToken: 'tok-secret-2' });
  assert.ok(a.rateKey);
  assert.equal(a.rateKey, b.rateKey, 'the same robot, however configured');
  assert.notEqual(a.rateKey, c.rateKey);
  assert.ok(!a.rateKey.includes('tok-secret'));
});
