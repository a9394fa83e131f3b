import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConfig } from '../../../src/config/load.js';
import { CHANNEL_TYPES, channelConfigSchema } from '../../../src/notify/channels/index.js';

function problems(channels: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    buildConfig({ notify: { channels } }, { env });
    return [];
  } catch (e) {
    return (e as { details: string[] }).details;
  }
}

test('every channel type parses a minimal config and fills its defaults', () => {
  const minimal: Record<string, Record<string, unknown>> = {
    webhook: { url: 'https://example.test/hook' },
    slack: { url: 'https://hooks.slack.com/services/T/B/x' },
    feishu: { token: 't' },
    lark: { token: 't' },
    dingtalk: { accessToken: 't' },
    wecom: { key: 'k' },
    email: { host: 'smtp.example.test', from: 'a@example.test', to: 'b@example.test' },
    amqp: { url: 'amqp://localhost', exchange: 'alerts' },
    nats: {},
    pg_notify: { channel: 'mvwatch' },
    console: {},
  };
  for (const type of CHANNEL_TYPES) {
    const r = channelConfigSchema.safeParse({ type, ...minimal[type] });
    assert.ok(r.success, `${type}: ${JSON.stringify(r.error?.issues)}`);
  }
  const webhook = channelConfigSchema.parse({ type: 'webhook', url: 'https://e.test' });
  assert.deepEqual(webhook, {
    type: 'webhook',
    url: 'https://e.test',
    method: 'POST',
    headers: {},
    timeout: 10_000,
  });
  const nats = channelConfigSchema.parse({ type: 'nats' });
  assert.deepEqual(nats, {
    type: 'nats',
    servers: 'nats://127.0.0.1:4222',
    subject: 'mvwatch.notifications.{severity}',
    jetstream: false,
    timeout: 10_000,
  });
});

test('errors name the path in the file and never echo a secret value', () => {
  const out = problems(
    {
      ops: { type: 'dingtalk', url: 'not a url ?access_token=SECRET-1' },
      chat: { type: 'teams', url: 'https://x' },
      mail: { type: 'email', host: 'h', from: 'a@b.c', to: 'x@y.z', port: 'SECRET-2' },
      hook: { type: 'webhook', url: 'https://x', timeout: 'soon' },
    },
    {},
  );
  assert.deepEqual(out.map((p) => p.split(':')[0]).sort(), [
    'notify.channels.chat.type',
    'notify.channels.hook.timeout',
    'notify.channels.mail.port',
    'notify.channels.ops.url',
  ]);
  assert.ok(
    out.every((p) => !p.includes('SECRET')),
    out.join('\n'),
  );
});

test('secrets from environment variables interpolate into channel configs', () => {
  // The config file's own `${VAR}` syntax, written as the file would have it.
  const token = '$' + '{DING_TOKEN}';
  const secret = '$' + '{DING_SECRET}';
  const config = buildConfig(
    { notify: { channels: { ding: { type: 'dingtalk', accessToken: token, secret } } } },
    { env: { DING_TOKEN: 'tok', DING_SECRET: 'SEC1' } },
  );
  assert.deepEqual(config.notify.channels.ding, {
    type: 'dingtalk',
    accessToken: 'tok',
    secret: 'SEC1',
    atAll: false,
    timeout: 10_000,
  });
});
