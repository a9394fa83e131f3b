import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { consoleConfigSchema } from '../../../src/notify/channels/console.js';
import { createChannel } from '../../../src/notify/channels/index.js';
import { sampleNotification } from './helpers.js';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, output: () => chunks.join('') };
}

test('prints the rendered text, markdown or JSON payload to the given stream', async () => {
  for (const [format, check] of [
    ['text', (s: string) => s.startsWith('[FIRING] ERROR Refresh failed: analytics.sector_daily_mv\n')],
    ['markdown', (s: string) => s.startsWith('### [FIRING]')],
    ['json', (s: string) => JSON.parse(s).id === 'ntf_01HZX3K9Q2'],
  ] as const) {
    const { stream, output } = capture();
    const ch = createChannel('out', consoleConfigSchema.parse({ type: 'console', format }), {
      output: stream,
    });
    const r = await ch.send(sampleNotification());
    assert.equal(r.ok, true);
    assert.ok(check(output()), `${format}: ${output()}`);
    assert.ok(output().endsWith('\n'));
  }
});

test('locale override prints Chinese whatever the notification says', async () => {
  const { stream, output } = capture();
  const ch = createChannel('out', consoleConfigSchema.parse({ type: 'console', locale: 'zh' }), {
    output: stream,
  });
  await ch.send(sampleNotification({ locale: 'en' }));
  assert.ok(output().startsWith('【告警】错误 刷新失败'));
});

test('a destroyed stream is a permanent failure, not a throw', async () => {
  const { stream } = capture();
  stream.destroy();
  const ch = createChannel('out', consoleConfigSchema.parse({ type: 'console' }), { output: stream });
  const r = await ch.send(sampleNotification());
  assert.deepEqual([r.ok, r.retry], [false, false]);
});
