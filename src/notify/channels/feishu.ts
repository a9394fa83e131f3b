/**
 * Feishu / Lark custom bot webhook (open.feishu.cn/document/client-docs/bot-v3/add-custom-bot):
 * an interactive card (default), a rich-text `post` or plain `text`, signed when a secret is set.
 */
import { z } from 'zod';
import { type BodyVerdict, httpAttempt, numberField, stringField } from '../http.js';
import { feishuSign } from '../signing.js';
import { buildModel, type MessageModel, toMarkdown, toText } from '../templates/index.js';
import type { Channel, Notification } from '../types.js';
import { botRateKey, httpUrlSchema, localeOf, localeSchema, timeoutSchema } from './common.js';

/** Hook bases: Feishu (China) and Lark (international) are the same API on different hosts. */
const HOOK_BASE = {
  feishu: 'https://open.feishu.cn/open-apis/bot/v2/hook/',
  lark: 'https://open.larksuite.com/open-apis/bot/v2/hook/',
} as const;

/** `notify.channels.<name>` with `type: feishu` or `type: lark`. */
export const feishuConfigSchema = z
  .object({
    type: z.enum(['feishu', 'lark']),
    /** Full hook URL. Give this or `token`. */
    url: httpUrlSchema.optional(),
    /** The hook token (the last path segment); the URL is built on Feishu's or Lark's host by `type`. */
    token: z.string().min(1).optional(),
    /** Signing secret ("signature verification" in the bot's security settings). Default: unsigned. */
    secret: z.string().min(1).optional(),
    /** `interactive` card (default), `post` rich text, or `text`. */
    msgType: z.enum(['interactive', 'post', 'text']).default('interactive'),
    /** Per attempt (default 10s). */
    timeout: timeoutSchema,
    /** Message language (default the notification's). */
    locale: localeSchema,
  })
  .strict()
  .refine((c) => (c.url === undefined) !== (c.token === undefined), {
    message: 'give either url or token',
    path: ['url'],
  });
export type FeishuConfig = z.infer<typeof feishuConfigSchema>;

/**
 * Codes Feishu answers (with HTTP 200) when the bot is sending too fast: 9499 "too many request",
 * 11232 "frequency limited". Retrying later succeeds; every other non-zero code is permanent.
 */
const FEISHU_RATE_LIMIT_CODES = new Set([9499, 11232]);

/** Creates a Feishu or Lark channel. */
export function createFeishuChannel(name: string, config: FeishuConfig): Channel {
  const url = config.url ?? HOOK_BASE[config.type] + encodeURIComponent(config.token ?? '');
  return {
    name,
    type: config.type,
    rateKey: botRateKey(config.type, url),
    send(n: Notification, signal?: AbortSignal) {
      const model = buildModel(n, { locale: localeOf(n, config.locale) });
      const body: Record<string, unknown> = feishuMessage(model, config.msgType);
      if (config.secret) {
        // Seconds, as a string: the documented form; Feishu refuses timestamps over an hour off.
        const timestamp = Math.floor(Date.now() / 1000);
        body.timestamp = String(timestamp);
        body.sign = feishuSign(timestamp, config.secret);
      }
      return httpAttempt({
        url,
        body: JSON.stringify(body),
        timeoutMs: config.timeout,
        signal,
        secrets: [config.token, config.secret, url],
        checkBody: feishuVerdict,
      });
    },
  };
}

/** Reads Feishu's answer: `{"code":0}` (or the older `{"StatusCode":0}`) is success. */
export function feishuVerdict(json: unknown): BodyVerdict {
  const code = numberField(json, 'code', 'StatusCode');
  if (code === undefined || code === 0) return { ok: true, retry: false };
  const msg = stringField(json, 'msg', 'StatusMessage');
  return { ok: false, retry: FEISHU_RATE_LIMIT_CODES.has(code), error: `Feishu error ${code}: ${msg}` };
}

/** The message body without signature. */
export function feishuMessage(m: MessageModel, msgType: FeishuConfig['msgType']): Record<string, unknown> {
  if (msgType === 'text') {
    const mentions = m.owners.feishu.map((id) => `<at user_id="${id}"></at>`).join(' ');
    return { msg_type: 'text', content: { text: toText(m, { mentions }) } };
  }
  if (msgType === 'post') {
    // The title is the post's own field and the link its own `a` element: leave both out of the text.
    const lines: unknown[][] = toText({ ...m, link: undefined })
      .split('\n')
      .slice(1)
      .map((line) => [{ tag: 'text', text: line }]);
    if (m.link) lines.push([{ tag: 'a', text: m.link.label, href: m.link.url }]);
    if (m.owners.feishu.length) lines.push(m.owners.feishu.map((id) => ({ tag: 'at', user_id: id })));
    return {
      msg_type: 'post',
      content: { post: { [m.locale === 'zh' ? 'zh_cn' : 'en_us']: { title: m.title, content: lines } } },
    };
  }
  const mentions = m.owners.feishu.map((id) => `<at id=${id}></at>`).join(' ');
  const elements: unknown[] = [
    // lark_md has no headings: the card header carries the title.
    {
      tag: 'div',
      text: { tag: 'lark_md', content: toMarkdown({ ...m, link: undefined }, { title: false, mentions }) },
    },
  ];
  if (m.link) {
    elements.push({
      tag: 'action',
      actions: [
        {
          tag: 'button',
          text: { tag: 'plain_text', content: m.link.label },
          url: m.link.url,
          type: 'primary',
        },
      ],
    });
  }
  return {
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: { title: { tag: 'plain_text', content: m.title }, template: headerColor(m) },
      elements,
    },
  };
}

/** Card header colours by severity; green once resolved. */
function headerColor(m: MessageModel): string {
  if (m.transition === 'resolved') return 'green';
  return { info: 'blue', warning: 'yellow', error: 'orange', critical: 'red' }[m.severity];
}
