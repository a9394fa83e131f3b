/**
 * WeCom (企业微信) group bot (developer.work.weixin.qq.com/document/path/91770). `markdown` (default)
 * mentions owners' WeCom user ids as `<@id>`; the platform only @-mentions by mobile number in `text`
 * messages, so `msgType: text` sends `mentioned_mobile_list` and `mentioned_list`.
 */
import { z } from 'zod';
import { type BodyVerdict, httpAttempt, numberField, stringField } from '../http.js';
import { buildModel, type MessageModel, toMarkdown, toText, truncateUtf8 } from '../templates/index.js';
import type { Channel, Notification } from '../types.js';
import { botRateKey, httpUrlSchema, localeOf, localeSchema, timeoutSchema } from './common.js';

const SEND_URL = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send';

/** WeCom refuses content above these UTF-8 byte counts (errcode 40058). */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;
export const WECOM_TEXT_MAX_BYTES = 2048;

/** `notify.channels.<name>` with `type: wecom`. */
export const wecomConfigSchema = z
  .object({
    type: z.literal('wecom'),
    /** Full bot URL with `key`. Give this or `key`. */
    url: httpUrlSchema.optional(),
    /** The bot key; the URL is `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`. */
    key: z.string().min(1).optional(),
    /** `markdown` (default) or `text` (needed for @mentions by mobile number). */
    msgType: z.enum(['markdown', 'text']).default('markdown'),
    /** Per attempt (default 10s). */
    timeout: timeoutSchema,
    /** Message language (default the notification's). */
    locale: localeSchema,
  })
  .strict()
  .refine((c) => (c.url === undefined) !== (c.key === undefined), {
    message: 'give either url or key',
    path: ['url'],
  });
export type WecomConfig = z.infer<typeof wecomConfigSchema>;

/**
 * WeCom answers HTTP 200 with `errcode`: 45009 "api freq out of limit" (over 20 messages a minute)
 * and -1 "system busy" pass on a later attempt; every other non-zero code is permanent.
 */
const WECOM_RETRY_CODES = new Set([45009, -1]);

/** Creates a WeCom channel. */
export function createWecomChannel(name: string, config: WecomConfig): Channel {
  const url = config.url ?? `${SEND_URL}?key=${encodeURIComponent(config.key ?? '')}`;
  return {
    name,
    type: 'wecom',
    rateKey: botRateKey('wecom', url),
    send(n: Notification, signal?: AbortSignal) {
      const model = buildModel(n, { locale: localeOf(n, config.locale) });
      return httpAttempt({
        url,
        body: JSON.stringify(wecomBody(model, config.msgType)),
        timeoutMs: config.timeout,
        signal,
        secrets: [config.key],
        checkBody: wecomVerdict,
      });
    },
  };
}

/** Reads WeCom's `{"errcode":0,"errmsg":"ok"}`. */
export function wecomVerdict(json: unknown): BodyVerdict {
  const code = numberField(json, 'errcode');
  if (code === undefined || code === 0) return { ok: true, retry: false };
  return {
    ok: false,
    retry: WECOM_RETRY_CODES.has(code),
    error: `WeCom error ${code}: ${stringField(json, 'errmsg')}`,
  };
}

/** The message body, cut to the platform's byte limit on a character boundary. */
export function wecomBody(m: MessageModel, msgType: WecomConfig['msgType']): Record<string, unknown> {
  if (msgType === 'text') {
    return {
      msgtype: 'text',
      text: {
        content: truncateUtf8(toText(m), WECOM_TEXT_MAX_BYTES),
        mentioned_list: m.owners.wecom,
        mentioned_mobile_list: m.owners.mobiles,
      },
    };
  }
  // Mentions go first so that truncation of a long message never cuts them off.
  const mentions = m.owners.wecom.map((id) => `<@${id}>`).join(' ');
  const markdown = toMarkdown(m);
  const content = mentions ? `${mentions}\n${markdown}` : markdown;
  return { msgtype: 'markdown', markdown: { content: truncateUtf8(content, WECOM_MARKDOWN_MAX_BYTES) } };
}
