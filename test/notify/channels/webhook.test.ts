import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, test } from 'node:test';
import { createChannel } from '../../../src/notify/channels/index.js';
import { webhookConfigSchema } from '../../../src/notify/channels/webhook.js';
import { signStandardWebhook } from '../../../src/notify/signing.js';
import { json, type Received, sampleAlert, sampleNotification, startReceiver } from './helpers.js';

/**
 * A receiver-side verifier written from the Standard Webhooks spec, independent of src/: key from
 * `whsec_` base64 or raw UTF-8, HMAC-SHA256 over `id.timestamp.body`, any `v1,` entry may match.
 */
function verify(req: Received, secret: string, toleranceSeconds = 300): boolean {
  const id = String(req.headers['webhook-id']);
  const ts = Number(req.headers['webhook-timestamp']);
  if (!Number.isInteger(ts) || Math.abs(Date.now() / 1000 - ts) > toleranceSeconds) return false;
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret);
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${req.body}`).digest();
  return String(req.headers['webhook-signature'] ?? '')
    .split(' ')
    .some((entry) => {
      const [version, sig] = entry.split(',');
      const got = Buffer.from(sig ?? '', 'base64');
      return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
    });
}

const receiver = await startReceiver((req, res) => json(res, 200, { received: req.headers['webhook-id'] }));
after(() => receiver.close());

function channel(config: Record<string, unknown>) {
  return createChannel(
    'hook',
    webhookConfigSchema.parse({ type: 'webhook', url: `${receiver.base}/hook`, ...config }),
  );
}

test('the Standard Webhooks spec example signs to its published value', () => {
  const sig = signStandardWebhook({
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
  });
  assert.equal(sig, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
});

test('a plain secret signs the exact body; the receiver verifies it', async () => {
  const result = await channel({ secret: 'plain-secret-1' }).send(sampleNotification());
  assert.equal(result.ok, true);
  assert.equal(result.statusCode, 200);
  const req = receiver.requests.at(-1)!;
  assert.equal(req.method, 'POST');
  assert.equal(req.headers['content-type'], 'application/json');
  assert.ok(verify(req, 'plain-secret-1'));
  assert.equal(verify(req, 'another-secret'), false);
  const tampered = { ...req, body: req.body.replace('refresh_failed', 'refresh_timeout') };
  assert.equal(verify(tampered, 'plain-secret-1'), false);
});

test('rotation: two secrets give two signatures, each verifiable alone; whsec_ secrets are base64 keys', async () => {
  const oldSecret = `whsec_${Buffer.from('old key bytes \u0000\u00ff').toString('base64')}`;
  const newSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  await channel({ secret: [oldSecret, newSecret] }).send(sampleNotification());
  const req = receiver.requests.at(-1)!;
  const signatures = String(req.headers['webhook-signature']).split(' ');
  assert.equal(signatures.length, 2);
  assert.ok(signatures.every((s) => s.startsWith('v1,')));
  assert.ok(verify(req, oldSecret));
  assert.ok(verify(req, newSecret));
  // Used as UTF-8 instead of base64-decoded, the key would not verify.
  assert.equal(verify(req, `raw_${newSecret}`), false);
});

test('webhook-id is the notification id, the same when the notification is sent again', async () => {
  const ch = channel({ secret: 's3cret-value' });
  const n = sampleNotification({ id: 'ntf_retry_same' });
  await ch.send(n);
  await ch.send(n);
  const [a, b] = receiver.requests.slice(-2);
  assert.equal(a!.headers['webhook-id'], 'ntf_retry_same');
  assert.equal(b!.headers['webhook-id'], 'ntf_retry_same');
  assert.ok(verify(a!, 's3cret-value') && verify(b!, 's3cret-value'));
});

test('body carries incidents, view, labels, transition and the dashboard link; custom headers pass', async () => {
  const n = sampleNotification({
    transition: 'escalated',
    alerts: [
      sampleAlert(),
      sampleAlert({
        id: 43,
        type: 'stale_data',
        severity: 'critical',
        labels: { team: 'quant', owner: 'alice' },
      }),
    ],
  });
  await channel({
    headers: { Authorization: 'Bearer tok-123', 'X-Env': 'test', 'Webhook-Id': 'spoofed' },
  }).send(n);
  const req = receiver.requests.at(-1)!;
  const body = JSON.parse(req.body);
  assert.equal(req.headers.authorization, 'Bearer tok-123');
  assert.equal(req.headers['x-env'], 'test');
  assert.equal(req.headers['webhook-id'], n.id, 'custom headers cannot replace webhook-id');
  assert.equal(req.headers['webhook-signature'], undefined, 'no secret, no signature');
  assert.equal(body.version, '1');
  assert.equal(body.id, n.id);
  assert.equal(body.transition, 'escalated');
  assert.equal(body.status, 'firing');
  assert.equal(body.view, 'analytics.sector_daily_mv');
  assert.deepEqual(body.labels, { team: 'quant' });
  assert.equal(body.dashboardUrl, n.dashboardUrl);
  assert.deepEqual(
    body.incidents.map((i: { id: number }) => i.id),
    [42, 43],
  );
  assert.match(body.title, /^\[ESCALATED\] CRITICAL 2 alerts on analytics\.sector_daily_mv$/);
});

test('method PUT is honoured', async () => {
  await channel({ method: 'PUT' }).send(sampleNotification());
  assert.equal(receiver.requests.at(-1)!.method, 'PUT');
});

test('config: a malformed whsec_ secret and a non-http URL are rejected by path', () => {
  const r = webhookConfigSchema.safeParse({ type: 'webhook', url: 'ftp://x', secret: 'whsec_%%%' });
  assert.equal(r.success, false);
  const paths = r.error!.issues.map((i) => i.path.join('.')).sort();
  assert.deepEqual(paths, ['secret', 'url']);
  assert.ok(
    r.error!.issues.every((i) => !i.message.includes('%%%')),
    'messages do not echo the secret',
  );
});
