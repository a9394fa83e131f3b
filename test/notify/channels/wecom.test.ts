import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createChannel } from '../../../src/notify/channels/index.js';
import { WECOM_MARKDOWN_MAX_BYTES, wecomConfigSchema } from '../../../src/notify/channels/wecom.js';
import { TRUNCATION_MARKER, truncateUtf8 } from '../../../src/notify/templates/truncate.js';
import { json, sampleAlert, sampleNotification, startReceiver } from './helpers.js';

const KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';

// Answers like WeCom: errcode 40058 when markdown content is over 4096 bytes, 0 otherwise.
const receiver = await startReceiver((req, res) => {
  const body = JSON.parse(req.body);
  const content: string = body.markdown?.content ?? body.text?.content ?? '';
  if (Buffer.byteLength(content) > WECOM_MARKDOWN_MAX_BYTES)
    return json(res, 200, { errcode: 40058, errmsg: 'content exceed max length' });
  json(res, 200, { errcode: 0, errmsg: 'ok' });
});
after(() => receiver.close());

function channel(config: Record<string, unknown> = {}) {
  return createChannel(
    'wecom',
    wecomConfigSchema.parse({
      type: 'wecom',
      url: `${receiver.base}/cgi-bin/webhook/send?key=${KEY}`,
      ...config,
    }),
  );
}

test('markdown body with <@userid> mentions', async () => {
  const n = sampleNotification({
    alerts: [sampleAlert({ labels: { owners: 'wecom:zhangsan, 13800000000' } })],
  });
  const result = await channel().send(n);
  assert.equal(result.ok, true, result.error);
  const body = JSON.parse(receiver.requests.at(-1)!.body);
  assert.equal(body.msgtype, 'markdown');
  assert.match(
    body.markdown.content,
    /^<@zhangsan>\n### \[FIRING\] ERROR Refresh failed: analytics\.sector_daily_mv/,
  );
  assert.match(body.markdown.content, /\*\*ERROR · Refresh failed · analytics\.sector_daily_mv\*\*/);
  assert.match(body.markdown.content, /\[Open in dashboard\]\(http:\/\/127\.0\.0\.1:8787\/#\/alerts\/42\)/);
});

test('text body carries mentioned_mobile_list and mentioned_list', async () => {
  const n = sampleNotification({
    alerts: [sampleAlert({ labels: { owners: 'wecom:zhangsan, 138-0000-0000' } })],
  });
  await channel({ msgType: 'text' }).send(n);
  const body = JSON.parse(receiver.requests.at(-1)!.body);
  assert.equal(body.msgtype, 'text');
  assert.deepEqual(body.text.mentioned_mobile_list, ['13800000000']);
  assert.deepEqual(body.text.mentioned_list, ['zhangsan']);
});

test('Chinese markdown over 4096 bytes is cut on a character boundary with a marker, and accepted', async () => {
  // 3 bytes per character: ~9000 bytes of message.
  const message = '物化视图刷新失败，请检查上游表。'.repeat(190);
  const n = sampleNotification({ locale: 'zh', alerts: [sampleAlert({ message })] });
  const result = await channel().send(n);
  assert.equal(result.ok, true, result.error);
  const content: string = JSON.parse(receiver.requests.at(-1)!.body).markdown.content;
  const bytes = Buffer.byteLength(content);
  assert.ok(bytes <= 4096 && bytes > 4096 - 4, `used ${bytes} bytes`);
  assert.ok(content.endsWith(TRUNCATION_MARKER));
  assert.ok(!content.includes('\uFFFD'), 'no broken character');
  assert.match(content, /^### 【告警】错误 刷新失败/);
});

test('truncateUtf8: never splits a character, leaves short text alone', () => {
  assert.equal(truncateUtf8('短文本', 100), '短文本');
  for (let max = 14; max <= 30; max++) {
    const out = truncateUtf8('汉字汉字汉字汉字汉字😀😀😀', max, '…');
    assert.ok(Buffer.byteLength(out) <= max, `max ${max}`);
    assert.ok(!out.includes('\uFFFD'));
    assert.ok(out.endsWith('…'));
  }
});

test('45009 (rate limit) retries; other errcodes are permanent; the key never shows', async () => {
  for (const [errcode, retry] of [
    [45009, true],
    [93000, false],
  ] as const) {
    const r2 = await startReceiver((_req, res) =>
      json(res, 200, { errcode, errmsg: `invalid webhook url, key=${KEY}` }),
    );
    const ch = createChannel(
      'w',
      wecomConfigSchema.parse({ type: 'wecom', url: `${r2.base}/cgi-bin/webhook/send?key=${KEY}` }),
    );
    const r = await ch.send(sampleNotification());
    await r2.close();
    assert.deepEqual([r.ok, r.retry], [false, retry], String(errcode));
    assert.match(r.error!, new RegExp(`WeCom error ${errcode}`));
    assert.ok(!r.error!.includes(KEY), r.error);
  }
});
