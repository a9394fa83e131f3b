import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dingtalkConfigSchema } from '../../../src/notify/channels/dingtalk.js';
import { createChannel } from '../../../src/notify/channels/index.js';
import { webhookConfigSchema } from '../../../src/notify/channels/webhook.js';
import { redact, redactUrl } from '../../../src/redact.js';
import { sampleNotification, startReceiver } from './helpers.js';

test('redactUrl table', () => {
  const table: Array<[string, string]> = [
    [
      'https://oapi.dingtalk.com/robot/send?access_token=SECRET',
      'https://oapi.dingtalk.com/robot/send?access_token=***',
    ],
    [
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET&debug=1',
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***&debug=1',
    ],
    ['https://hooks.slack.com/services/T00/B00/SECRET', 'https://hooks.slack.com/services/***'],
    [
      'https://open.feishu.cn/open-apis/bot/v2/hook/SECRET-uuid',
      'https://open.feishu.cn/open-apis/bot/v2/hook/***',
    ],
    ['amqp://guest:SECRET@127.0.0.1:5672/vhost', 'amqp://guest:***@127.0.0.1:5672/vhost'],
    // Database URLs go through the same function (connection errors, the public API).
    [
      'postgres://app:SECRET@db.internal:5432/market?sslpassword=SECRET&application_name=x',
      'postgres://app:***@db.internal:5432/market?sslpassword=***&application_name=x',
    ],
    ['https://x.test/a?timestamp=1&sign=SECRET', 'https://x.test/a?timestamp=1&sign=***'],
    ['https://x.test/plain?page=2', 'https://x.test/plain?page=2'],
    ['not a url, token=SECRET', 'not a url, token=***'],
  ];
  for (const [input, expected] of table) assert.equal(redactUrl(input), expected, input);
});

test('redact: URLs inside text, literal secrets and their encoded forms', () => {
  const out = redact(
    'POST https://h.test/hook/SECRET1: failed (key=SECRET2) pw p@ss/w0rd! and p%40ss%2Fw0rd!',
    ['p@ss/w0rd!'],
  );
  for (const s of ['SECRET1', 'SECRET2', 'p@ss/w0rd!', 'p%40ss%2Fw0rd!'])
    assert.ok(!out.includes(s), `${s} in ${out}`);
  assert.match(out, /https:\/\/h\.test\/hook\/\*\*\*: failed/);
  assert.equal(redact('abc', ['ab']), 'abc', 'very short secrets are not redacted');
});

test('a failing request to a URL with access_token=SECRET never shows SECRET', async () => {
  const receiver = await startReceiver((_req, res) => res.writeHead(500).end('echo: access_token=SECRET'));
  try {
    const ding = createChannel(
      'd',
      dingtalkConfigSchema.parse({
        type: 'dingtalk',
        url: `${receiver.base}/robot/send?access_token=SECRET`,
        secret: 'SEC-signing-secret',
      }),
    );
    const r = await ding.send(sampleNotification());
    assert.equal(r.ok, false);
    assert.ok(!r.error!.includes('SECRET'), r.error);
    assert.ok(!r.error!.includes('SEC-signing-secret'), r.error);
    assert.match(r.error!, /access_token=\*\*\*/);
  } finally {
    await receiver.close();
  }
});

test('a refused connection with a password and a token in the URL shows neither', async () => {
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  const hook = createChannel(
    'h',
    webhookConfigSchema.parse({
      type: 'webhook',
      url: 'http://user:hunter2-pw@127.0.0.1:1/notify?token=tok-SECRET',
      headers: { authorization: 'Bearer hdr-SECRET' },
    }),
  );
  const r = await hook.send(sampleNotification());
  assert.deepEqual([r.ok, r.retry], [false, true]);
  for (const s of ['hunter2-pw', 'tok-SECRET', 'hdr-SECRET']) assert.ok(!r.error!.includes(s), r.error);
});
