import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createChannel } from '../../../src/notify/channels/index.js';
import { slackConfigSchema } from '../../../src/notify/channels/slack.js';
import { sampleAlert, sampleNotification, startReceiver } from './helpers.js';

// Answers like a Slack incoming webhook: 200 with the text `ok`, 400 `invalid_blocks` for oversized text.
const receiver = await startReceiver((req, res) => {
  const body = JSON.parse(req.body);
  const tooLong = body.blocks.some((b: { text?: { text: string } }) => (b.text?.text.length ?? 0) > 3000);
  if (tooLong) return res.writeHead(400).end('invalid_blocks');
  res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
});
after(() => receiver.close());

const HOOK_PATH = '/services/T0001/B0002/XXXXSECRETXXXX';

function channel() {
  return createChannel('slack', slackConfigSchema.parse({ type: 'slack', url: receiver.base + HOOK_PATH }));
}

test('Block Kit body: header, summary, one section per alert, owner mentions, dashboard button', async () => {
  const n = sampleNotification({
    transition: 'resolved',
    alerts: [
      sampleAlert({
        status: 'resolved',
        resolvedAt: '2024-05-01T09:00:00.000Z',
        labels: { owners: 'U024BE7LH, alice' },
      }),
      sampleAlert({
        id: 43,
        type: 'null_values_detected',
        severity: 'warning',
        message: 'x < 5 & y > 3',
        status: 'resolved',
      }),
    ],
  });
  const result = await channel().send(n);
  assert.deepEqual([result.ok, result.statusCode], [true, 200]);
  const body = JSON.parse(receiver.requests.at(-1)!.body);
  assert.match(body.text, /^\[RESOLVED\] ERROR 2 alerts on analytics\.sector_daily_mv/);
  const types = body.blocks.map((b: { type: string }) => b.type);
  assert.deepEqual(types, [
    'header',
    'section',
    'divider',
    'section',
    'divider',
    'section',
    'context',
    'actions',
  ]);
  assert.equal(body.blocks[0].text.type, 'plain_text');
  assert.match(body.blocks[3].text.text, /^\*ERROR · Refresh failed · analytics\.sector_daily_mv\*/);
  assert.match(body.blocks[3].text.text, /\*Resolved at:\* 2024-05-01 09:00:00 UTC/);
  assert.match(body.blocks[5].text.text, /x &lt; 5 &amp; y &gt; 3/, 'data is escaped for mrkdwn');
  const context = body.blocks[6].elements.map((e: { text: string }) => e.text);
  assert.ok(context.includes('<@U024BE7LH>'), 'Slack ids are mentioned raw');
  assert.equal(body.blocks[7].elements[0].url, n.dashboardUrl);
});

test('a long message stays under the section limit Slack enforces', async () => {
  const n = sampleNotification({ alerts: [sampleAlert({ message: 'x'.repeat(5000) })] });
  const result = await channel().send(n);
  assert.equal(result.ok, true, result.error);
});

test('a 404 from Slack is permanent and the hook path token is not in the error', async () => {
  const gone = await startReceiver((_req, res) => res.writeHead(404).end('no_service'));
  const ch = createChannel('s', slackConfigSchema.parse({ type: 'slack', url: gone.base + HOOK_PATH }));
  const r = await ch.send(sampleNotification());
  await gone.close();
  assert.deepEqual([r.ok, r.retry, r.statusCode], [false, false, 404]);
  assert.match(r.error!, /HTTP 404 .*\/services\/\*\*\*: no_service/);
  assert.ok(!r.error!.includes('XXXXSECRETXXXX'));
});
