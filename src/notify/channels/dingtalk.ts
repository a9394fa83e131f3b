/**
 * DingTalk custom robot (open.dingtalk.com/document/robots/custom-robot-access): markdown with
 * owners' mobiles @-mentioned, signed in the query string when a secret is set.
 */
import { z } from 'zod';
import { type BodyVerdict, httpAttempt, numberField, stringField } from '../http.js';
import { dingtalkSign } from '../signing.js';
import { buildModel, type MessageModel, toMarkdown } from '../templates/index.js';
import type { Channel, Notification } from '../types.js';
import { botRateKey, httpUrlSchema, localeOf, localeSchema, timeoutSchema } from './common.js';

const SEND_URL = 'https://oapi.dingtalk.com/robot/send';

/** `notify.channels.<name>` with `type: dingtalk`. */
export const dingtalkConfigSchema = z
  .object({
    type: z.literal('dingtalk'),
    /** Full robot URL with `access_token`. Give this or `accessToken`. */
    url: httpUrlSchema.optional(),
    /** The robot's access token; the URL is `https://oapi.dingtalk.com/robot/send?access_token=…`. */
    accessToken: z.string().min(1).optional(),
    /** Signing secret (`SEC…`, "加签"). Default: unsigned. */
    secret: z.string().min(1).optional(),
    /** Mention everyone in the group (default false). */
    atAll: z.boolean().default(false),
    /** Per attempt (default 10s). */
    timeout: timeoutSchema,
    /** Message language (default the notification's). */
    locale: localeSchema,
  })
  .strict()
  .refine((c) => (c.url === undefined) !== (c.accessToken === undefined), {
    message: 'give either url or accessToken',
    path: ['url'],
  });
export type DingtalkConfig = z.infer<typeof dingtalkConfigSchema>;

/**
 * DingTalk answers HTTP 200 with `errcode`: 130101 "send too fast" (over 20 messages a minute) and
 * -1 "system busy" pass on a later attempt; every other non-zero code is permanent.
 */
const DINGTALK_RETRY_CODES = new Set([130101, -1]);

/** Creates a DingTalk channel. */
export function createDingtalkChannel(name: string, config: DingtalkConfig): Channel {
  const base = config.url ?? `${SEND_URL}?access_token=${encodeURIComponent(config.accessToken ?? '')}`;
  return {
    name,
    type: 'dingtalk',
    rateKey: botRateKey('dingtalk', base),
    send(n: Notification, signal?: AbortSignal) {
      const model = buildModel(n, { locale: localeOf(n, config.locale) });
      let url = base;
      if (config.secret) {
        // Milliseconds; DingTalk refuses a timestamp more than an hour from its clock.
        const timestamp = Date.now();
        url += `${base.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${dingtalkSign(timestamp, config.secret)}`;
      }
      return httpAttempt({
        url,
        body: JSON.stringify(dingtalkBody(model, config.atAll)),
        timeoutMs: config.timeout,
        signal,
        secrets: [config.accessToken, config.secret],
        checkBody: dingtalkVerdict,
      });
    },
  };
}

/** Reads DingTalk's `{"errcode":0,"errmsg":"ok"}`. */
export function dingtalkVerdict(json: unknown): BodyVerdict {
  const code = numberField(json, 'errcode');
  if (code === undefined || code === 0) return { ok: true, retry: false };
  return {
    ok: false,
    retry: DINGTALK_RETRY_CODES.has(code),
    error: `DingTalk error ${code}: ${stringField(json, 'errmsg')}`,
  };
}

/** The markdown message. A mention only pings when `@mobile` also appears in the text. */
export function dingtalkBody(m: MessageModel, atAll: boolean): Record<string, unknown> {
  const mentions = [...m.owners.mobiles, ...m.owners.dingtalk].map((id) => `@${id}`).join(' ');
  return {
    msgtype: 'markdown',
    markdown: { title: m.title, text: toMarkdown(m, { mentions }) },
    at: { atMobiles: m.owners.mobiles, atUserIds: m.owners.dingtalk, isAtAll: atAll },
  };
}
