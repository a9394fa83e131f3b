/** Email through SMTP (nodemailer): HTML and plain-text parts, the title as subject. */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { redact } from '../../redact.js';
import { describeError, errorCode } from '../classify.js';
import { renderNotification } from '../templates/index.js';
import type { Channel, Notification, SendResult } from '../types.js';
import { localeOf, localeSchema, timeoutSchema, untilAborted } from './common.js';

const addresses = z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]);

/** `notify.channels.<name>` with `type: email`. */
export const emailConfigSchema = z
  .object({
    type: z.literal('email'),
    /** SMTP server host (required). */
    host: z.string().min(1),
    /** Port (default 465 when `secure`, else 587). */
    port: z.number().int().min(1).max(65535).optional(),
    /** Implicit TLS from the first byte (port 465); false uses STARTTLS when offered (default false). */
    secure: z.boolean().default(false),
    /** Refuse to send unless STARTTLS succeeds (default false). */
    requireTLS: z.boolean().default(false),
    /** Verify the server's certificate (default true; turn off only for a self-signed test server). */
    tlsRejectUnauthorized: z.boolean().default(true),
    /** Login (default none). */
    auth: z
      .object({ user: z.string().min(1), pass: z.string() })
      .strict()
      .optional(),
    /** Sender, e.g. `mvwatch <mvwatch@example.com>` (required). */
    from: z.string().min(3),
    /** Recipients (required). */
    to: addresses,
    /** Copy recipients (default none). */
    cc: addresses.optional(),
    /** Connection, greeting and socket timeout each (default 10s). */
    timeout: timeoutSchema,
    /** Message language (default the notification's). */
    locale: localeSchema,
  })
  .strict();
export type EmailConfig = z.infer<typeof emailConfigSchema>;

/** Implicit-TLS submission port and the STARTTLS submission port (RFC 8314, RFC 6409). */
const SMTPS_PORT = 465;
const SUBMISSION_PORT = 587;

/**
 * nodemailer codes that no retry can fix: no valid recipient, an unbuildable message, a login the
 * server cannot accept, a bad transport setting. Connection, TLS and timeout codes retry.
 */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EAUTH', 'ECONFIG']);

/** Creates an email channel. One transporter, closed by `close()`. */
export function createEmailChannel(name: string, config: EmailConfig): Channel {
  const transporter = nodemailer.createTransport({
    host: config.host,
    port: config.port ?? (config.secure ? SMTPS_PORT : SUBMISSION_PORT),
    secure: config.secure,
    requireTLS: config.requireTLS,
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized },
    auth: config.auth,
    connectionTimeout: config.timeout,
    greetingTimeout: config.timeout,
    socketTimeout: config.timeout,
  });
  const secrets = [config.auth?.pass];
  return {
    name,
    type: 'email',
    async send(n: Notification, signal?: AbortSignal): Promise<SendResult> {
      const started = performance.now();
      const latencyMs = () => Math.round(performance.now() - started);
      const rendered = renderNotification(n, { locale: localeOf(n, config.locale) });
      try {
        signal?.throwIfAborted();
        const sending = transporter.sendMail({
          from: config.from,
          to: config.to,
          cc: config.cc,
          subject: rendered.title,
          text: rendered.text,
          html: rendered.html,
          messageId: messageIdOf(n.id),
          headers: { 'X-Mvwatch-Notification-Id': n.id },
        });
        const info = await (signal ? untilAborted(sending, signal) : sending);
        const statusCode = Number.parseInt(String(info.response ?? '').slice(0, 3), 10);
        return {
          ok: true,
          retry: false,
          ...(Number.isNaN(statusCode) ? {} : { statusCode }),
          latencyMs: latencyMs(),
        };
      } catch (e) {
        return { ...classifySmtpError(e, secrets), latencyMs: latencyMs() };
      }
    },
    async close() {
      transporter.close();
    },
  };
}

/**
 * The Message-ID: derived from the notification id, so every retry of one notification carries the
 * same one and mail systems can drop the duplicate. Hashed when the id has characters a msg-id cannot.
 */
export function messageIdOf(id: string): string {
  const local = /^[A-Za-z0-9._-]{1,64}$/.test(id)
    ? id
    : createHash('sha256').update(id).digest('hex').slice(0, 32);
  return `<${local}@mvwatch>`;
}

/** SMTP 4xx replies and transport failures retry; 5xx replies are permanent (RFC 5321 §4.2.1). */
export function classifySmtpError(
  e: unknown,
  secrets: readonly (string | undefined)[],
): Omit<SendResult, 'latencyMs'> {
  const responseCode = (e as { responseCode?: unknown }).responseCode;
  const code = errorCode(e);
  const error = redact(`SMTP ${describeError(e)}`, secrets);
  if (typeof responseCode === 'number') {
    return { ok: false, retry: responseCode >= 400 && responseCode < 500, statusCode: responseCode, error };
  }
  if ((e as { name?: string }).name === 'AbortError') {
    return { ok: false, retry: true, error: 'SMTP send cancelled' };
  }
  // Other failures without a server verdict retry: only a 5xx reply or a config problem is final.
  return { ok: false, retry: code === undefined || !PERMANENT_CODES.has(code), error };
}
