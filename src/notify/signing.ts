/**
 * Every signature mvwatch puts on a message, as pure functions of their inputs, so each formula
 * is tested against a receiver that re-computes it (and against fixed known answers).
 */
import { createHmac } from 'node:crypto';

/** Standard Webhooks marks base64-encoded secrets with this prefix. */
const WHSEC_PREFIX = 'whsec_';

/**
 * The HMAC key of a Standard Webhooks secret: `whsec_<base64>` is base64-decoded after the prefix
 * (the spec's convention); any other secret is used as its UTF-8 bytes.
 */
export function standardWebhookKey(secret: string): Buffer {
  return secret.startsWith(WHSEC_PREFIX)
    ? Buffer.from(secret.slice(WHSEC_PREFIX.length), 'base64')
    : Buffer.from(secret, 'utf8');
}

/** True when a `whsec_` secret has a non-empty, well-formed base64 key after the prefix. */
export function isValidWhsecSecret(secret: string): boolean {
  if (!secret.startsWith(WHSEC_PREFIX)) return true;
  const b64 = secret.slice(WHSEC_PREFIX.length);
  return /^[A-Za-z0-9+/]+={0,2}$/.test(b64) && standardWebhookKey(secret).length > 0;
}

/** Inputs of a Standard Webhooks signature. */
export interface StandardWebhookInput {
  /** `webhook-id`: the notification id, identical on every retry. */
  id: string;
  /** `webhook-timestamp`: Unix time in seconds. */
  timestamp: number;
  /** The exact request body that is sent. */
  body: string;
  /** One secret, or several during a rotation (each yields its own signature). */
  secrets: readonly string[];
}

/**
 * The `webhook-signature` header value: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`
 * per secret, space-separated, so a receiver holding either the old or the new secret accepts it.
 */
export function signStandardWebhook(input: StandardWebhookInput): string {
  const content = `${input.id}.${input.timestamp}.${input.body}`;
  return input.secrets
    .map((s) => `v1,${createHmac('sha256', standardWebhookKey(s)).update(content).digest('base64')}`)
    .join(' ');
}

/**
 * Feishu / Lark custom bot signature: base64(HMAC-SHA256 keyed with `"{timestamp}\n{secret}"` over
 * an empty message). The timestamp is in seconds; Feishu rejects it when more than an hour off.
 */
export function feishuSign(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/**
 * DingTalk robot signature, already URL-encoded for the query string: urlencode(base64(HMAC-SHA256
 * keyed with the secret over `"{timestamp}\n{secret}"`)). The timestamp is in milliseconds.
 */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return encodeURIComponent(
    createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64'),
  );
}
