import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, test } from 'node:test';
import { feishuConfigSchema } from '../../../src/notify/channels/feishu.js';
import { createChannel } from '../../../src/notify/channels/index.js';
import { feishuSign } from '../../../src/notify/signing.js';
import { json, sampleAlert, sampleNotification, startReceiver } from './helpers.js';

const SECRET = 'SEC-feishu-test';

/** Feishu's check, re-implemented here from its documentation: key "{timestamp}\n{secret}", empty message. */
function expectedSign(timestamp: string, secret: string): string {
  return createHmac('sha256', `${timestamp}\n${secret}`).update(Buffer.alloc(0)).digest('base64');
}

// Answers like Feishu: 200 with code 0, or code 19021 when the signature is wrong.
const receiver = await startReceiver((req, res) => {
  const body = JSON.parse(req.body);
  if (body.sign !== undefined && body.sign !== expectedSign(body.timestamp, SECRET)) {
    return json(res, 200, {
      code: 19021,
      msg: 'sign match fail or timestamp is not within one hour from current time',
    });
  }
  json(res, 200, { code: 0, msg: 'success', data: {} });
});
after(() => receiver.close());

function channel(config: Record<string, unknown>) {
  return createChannel(
    'feishu',
    feishuConfigSchema.parse({
      type: 'feishu',
      url: `${receiver.base}/open-apis/bot/v2/hook/tok-abc`,
      ...config,
    }),
  );
}

test('known answer: timestamp 1599360473 with secret SEC-feishu-test', () => {
  // HMAC computed once outside Node: `printf '' | openssl dgst -sha256 -hmac "$(printf '1599360473\nSEC-feishu-test')"`.
  const hex = 'cbe78131c277325c06a8bf2118685c689086ef63d01f4a1dfc471a8d29c8ccaf';
  assert.equal(Buffer.from(hex, 'hex').toString('base64'), 'y+eBMcJ3MlwGqL8hGGhcaJCG72PQH0od/EcajSnIzK8=');
  assert.equal(feishuSign(1599360473, SECRET), 'y+eBMcJ3MlwGqL8hGGhcaJCG72PQH0od/EcajSnIzK8=');
  assert.equal(feishuSign(1599360473, SECRET), expectedSign('1599360473', SECRET));
});

test('signed card: the receiver re-computes the signature from the body timestamp (seconds)', async () => {
  const result = await channel({ secret: SECRET }).send(sampleNotification());
  assert.deepEqual([result.ok, result.retry, result.statusCode], [true, false, 200]);
  const body = JSON.parse(receiver.requests.at(-1)!.body);
  assert.equal(typeof body.timestamp, 'string');
  assert.ok(Math.abs(Number(body.timestamp) - Date.now() / 1000) < 5, 'timestamp is in seconds');
  assert.equal(body.sign, expectedSign(body.timestamp, SECRET));
  assert.equal(body.msg_type, 'interactive');
  assert.equal(body.card.header.template, 'orange');
  assert.match(
    body.card.header.title.content,
    /^\[FIRING\] ERROR Refresh failed: analytics\.sector_daily_mv$/,
  );
});

test('a wrong secret: Feishu answers 200 with code 19021, a permanent failure', async () => {
  const result = await channel({ secret: 'SEC-wrong' }).send(sampleNotification());
  assert.equal(result.ok, false);
  assert.equal(result.retry, false);
  assert.match(result.error!, /Feishu error 19021/);
  assert.ok(!result.error!.includes('tok-abc'), 'hook token redacted');
  assert.ok(!result.error!.includes('SEC-wrong'));
});

test('rate-limit codes 9499 and 11232 retry', async () => {
  for (const code of [9499, 11232]) {
    const limited = await startReceiver((_req, res) => json(res, 200, { code, msg: 'frequency limited' }));
    const ch = createChannel('f', feishuConfigSchema.parse({ type: 'lark', url: `${limited.base}/hook/x` }));
    const result = await ch.send(sampleNotification());
    await limited.close();
    assert.deepEqual([result.ok, result.retry], [false, true], `code ${code}`);
  }
});

test('owners with open ids become <at> mentions: card uses <at id=…>, text uses <at user_id="…">', async () => {
  const n = sampleNotification({
    locale: 'zh',
    alerts: [sampleAlert({ labels: { owners: 'ou_7d8a6e6df7621556ce0d21922b676706, 张三' } })],
  });
  await channel({}).send(n);
  const card = JSON.parse(receiver.requests.at(-1)!.body);
  assert.equal(card.sign, undefined, 'no secret, no signature');
  const md = card.card.elements[0].text.content;
  assert.match(md, /<at id=ou_7d8a6e6df7621556ce0d21922b676706><\/at>/);
  assert.match(md, /负责人: ou_7d8a6e6df7621556ce0d21922b676706, 张三/);
  assert.equal(card.card.elements[1].actions[0].url, n.dashboardUrl);

  await channel({ msgType: 'text' }).send(n);
  const text = JSON.parse(receiver.requests.at(-1)!.body);
  assert.equal(text.msg_type, 'text');
  assert.match(text.content.text, /<at user_id="ou_7d8a6e6df7621556ce0d21922b676706"><\/at>/);
  assert.match(text.content.text, /^【告警】错误 刷新失败/);

  await channel({ msgType: 'post' }).send(n);
  const post = JSON.parse(receiver.requests.at(-1)!.body);
  assert.equal(post.content.post.zh_cn.title, '【告警】错误 刷新失败: analytics.sector_daily_mv');
  assert.deepEqual(post.content.post.zh_cn.content.at(-1), [
    { tag: 'at', user_id: 'ou_7d8a6e6df7621556ce0d21922b676706' },
  ]);
});

test('token config builds the Feishu or Lark host URL', () => {
  assert.equal(feishuConfigSchema.safeParse({ type: 'feishu' }).success, false);
  assert.equal(
    feishuConfigSchema.safeParse({ type: 'feishu', token: 'a', url: 'https://x/y' }).success,
    false,
  );
  assert.equal(feishuConfigSchema.safeParse({ type: 'lark', token: 'a' }).success, true);
});
