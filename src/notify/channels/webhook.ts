/**
 * Generic webhook: the JSON payload, signed per Standard Webhooks (standardwebhooks.com) so the
 * receiver can verify origin and drop replays and duplicates by `webhook-id`.
 */
import { z } from 'zod';
import { httpAttempt } from '../http.js';
import { buildPayload } from '../payload.js';
import { isValidWhsecSecret, signStandardWebhook } from '../signing.js';
import type { Channel, Notification } from '../types.js';
import { headersSchema, httpUrlSchema, localeSchema, timeoutSchema } from './common.js';

const secretSchema = z.string().min(1).refine(isValidWhsecSecret, {
  message: 'a whsec_ secret must be base64 after the prefix',
});

/** Header names whose values are credentials (`Authorization`, `X-Api-Key`, `Cookie`, ...). */
const CREDENTIAL_HEADER = /auth|token|key|secret|cookie|signature|pass/i;

/** `notify.channels.<name>` with `type: webhook`. */
export const webhookConfigSchema = z
  .object({
    type: z.literal('webhook'),
    /** Receiver URL (required). */
    url: httpUrlSchema,
    /** HTTP method (default POST). */
    method: z.enum(['POST', 'PUT']).default('POST'),
    /**
     * Signing secret(s); several during a rotation, each adding a `v1,` signature. `whsec_<base64>`
     * is base64-decoded (Standard Webhooks); other strings are used as UTF-8 bytes. Default: unsigned.
     */
    secret: z.union([secretSchema, z.array(secretSchema).min(1)]).optional(),
    /** Extra headers (default none); they cannot replace the `webhook-*` ones. */
    headers: headersSchema,
    /** Per attempt (default 10s). */
    timeout: timeoutSchema,
    /** Language of the `title` and `text` fields (default the notification's). */
    locale: localeSchema,
  })
  .strict();
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** Creates a webhook channel. */
export function createWebhookChannel(name: string, config: WebhookConfig): Channel {
  const secrets =
    config.secret === undefined ? [] : Array.isArray(config.secret) ? config.secret : [config.secret];
  const credentialHeaders = Object.entries(config.headers).filter(([k]) => CREDENTIAL_HEADER.test(k));
  // The whole value and the credential after a scheme (`Bearer abc` → `abc`).
  const redactable = [...secrets, ...credentialHeaders.flatMap(([, v]) => [v, v.replace(/^\S+\s+/, '')])];
  return {
    name,
    type: 'webhook',
    send(n: Notification, signal?: AbortSignal) {
      const body = JSON.stringify(buildPayload(n, { locale: config.locale }));
      // Seconds, per the spec; receivers reject timestamps too far from their clock (replays).
      const timestamp = Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = {
        ...config.headers,
        'webhook-id': n.id,
        'webhook-timestamp': String(timestamp),
      };
      if (secrets.length) {
        headers['webhook-signature'] = signStandardWebhook({ id: n.id, timestamp, body, secrets });
      }
      return httpAttempt({
        url: config.url,
        method: config.method,
        headers,
        body,
        timeoutMs: config.timeout,
        signal,
        secrets: redactable,
      });
    },
  };
}
