import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { emailConfigSchema } from '../../../src/notify/channels/email.js';
import { createChannel } from '../../../src/notify/channels/index.js';
import { sampleAlert, sampleNotification } from './helpers.js';

const received: ParsedMail[] = [];
const envelopes: string[][] = [];

// A real SMTP server on loopback: plain SMTP with AUTH PLAIN/LOGIN allowed without TLS (test only).
const server = new SMTPServer({
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  authOptional: true,
  onAuth(auth, _session, cb) {
    if (auth.username === 'mvwatch' && auth.password === 'smtp-SECRET-pw')
      return cb(null, { user: auth.username });
    cb(new Error('Invalid username or password'));
  },
  onRcptTo(address, _session, cb) {
    if (address.address.startsWith('busy@'))
      return cb(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
    if (address.address.startsWith('nobody@'))
      return cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
    cb();
  },
  onData(stream, session, cb) {
    simpleParser(stream)
      .then((mail) => {
        received.push(mail);
        envelopes.push((session.envelope.rcptTo ?? []).map((r) => r.address));
        cb();
      })
      .catch(cb);
  },
});
server.on('error', () => {});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.server.address() as AddressInfo).port;
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function channel(config: Record<string, unknown> = {}) {
  return createChannel(
    'mail',
    emailConfigSchema.parse({
      type: 'email',
      host: '127.0.0.1',
      port,
      from: 'mvwatch <mvwatch@example.test>',
      to: ['oncall@example.test'],
      cc: 'lead@example.test',
      timeout: '3s',
      ...config,
    }),
  );
}

test('delivers subject, HTML and plain text; Message-ID is derived from the notification id', async () => {
  const ch = channel({ auth: { user: 'mvwatch', pass: 'smtp-SECRET-pw' } });
  try {
    const n = sampleNotification({
      id: 'ntf_mail_1',
      alerts: [sampleAlert({ message: 'nulls in <industry_code> & co' })],
    });
    const r = await ch.send(n);
    assert.equal(r.ok, true, r.error);
    assert.equal(r.statusCode, 250);
    const mail = received.at(-1)!;
    assert.equal(mail.subject, '[FIRING] ERROR Refresh failed: analytics.sector_daily_mv');
    assert.equal(mail.messageId, '<ntf_mail_1@mvwatch>');
    assert.equal(mail.headers.get('x-mvwatch-notification-id'), 'ntf_mail_1');
    assert.match(mail.text!, /Occurrences: 3/);
    assert.match(mail.text!, /nulls in <industry_code> & co/);
    assert.match(String(mail.html), /<h2 style="color:#cf222e[^>]*>\[FIRING\] ERROR Refresh failed/);
    assert.match(String(mail.html), /nulls in &#60;industry_code&#62; &#38; co/, 'data is HTML-escaped');
    assert.match(
      String(mail.html),
      /<a href="http:\/\/127\.0\.0\.1:8787\/#\/alerts\/42">Open in dashboard<\/a>/,
    );
    assert.deepEqual(envelopes.at(-1), ['oncall@example.test', 'lead@example.test']);
  } finally {
    await ch.close?.();
  }
});

test('Chinese resolved email', async () => {
  const ch = channel();
  try {
    const n = sampleNotification({
      locale: 'zh',
      transition: 'resolved',
      alerts: [sampleAlert({ status: 'resolved', resolvedAt: '2024-05-01T09:00:00.000Z' })],
    });
    const r = await ch.send(n);
    assert.equal(r.ok, true, r.error);
    const mail = received.at(-1)!;
    assert.equal(mail.subject, '【已恢复】错误 刷新失败: analytics.sector_daily_mv');
    assert.match(mail.text!, /恢复时间: 2024-05-01 09:00:00 UTC/);
    assert.match(String(mail.html), /<html lang="zh-CN">/);
  } finally {
    await ch.close?.();
  }
});

test('SMTP 451 retries, 550 is permanent, a bad password is permanent and never shown', async () => {
  const cases: Array<[Record<string, unknown>, boolean, number]> = [
    [{ to: 'busy@example.test', cc: undefined }, true, 451],
    [{ to: 'nobody@example.test', cc: undefined }, false, 550],
    [{ auth: { user: 'mvwatch', pass: 'wrong-SECRET-pw' } }, false, 535],
  ];
  for (const [config, retry, code] of cases) {
    const ch = channel(config);
    try {
      const r = await ch.send(sampleNotification());
      assert.deepEqual([r.ok, r.retry, r.statusCode], [false, retry, code], JSON.stringify(config));
      assert.ok(!r.error!.includes('wrong-SECRET-pw'), r.error);
    } finally {
      await ch.close?.();
    }
  }
});

test('an SMTP server that is not there: a retryable connection error', async () => {
  const ch = createChannel(
    'm',
    emailConfigSchema.parse({
      type: 'email',
      host: '127.0.0.1',
      port: 1,
      from: 'a@b.test',
      to: 'c@d.test',
      timeout: '2s',
    }),
  );
  const r = await ch.send(sampleNotification());
  await ch.close?.();
  assert.deepEqual([r.ok, r.retry], [false, true]);
  assert.match(r.error!, /ECONNREFUSED|connect/i);
});
