/** Slack incoming webhook with Block Kit blocks (api.slack.com/messaging/webhooks). */
import { z } from 'zod';
import { httpAttempt } from '../http.js';
import { buildModel, type MessageModel, toText } from '../templates/index.js';
import type { Channel, Notification } from '../types.js';
import { httpUrlSchema, localeOf, localeSchema, timeoutSchema } from './common.js';

/** `notify.channels.<name>` with `type: slack`. */
export const slackConfigSchema = z
  .object({
    type: z.literal('slack'),
    /** Incoming webhook URL, `https://hooks.slack.com/services/T…/B…/…` (required; it is the secret). */
    url: httpUrlSchema,
    /** Per attempt (default 10s). */
    timeout: timeoutSchema,
    /** Message language (default the notification's). */
    locale: localeSchema,
  })
  .strict();
export type SlackConfig = z.infer<typeof slackConfigSchema>;

/** Block Kit limits: a header's text, a section's text. Longer text is refused with HTTP 400. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;

/** Creates a Slack channel. */
export function createSlackChannel(name: string, config: SlackConfig): Channel {
  return {
    name,
    type: 'slack',
    send(n: Notification, signal?: AbortSignal) {
      const model = buildModel(n, { locale: localeOf(n, config.locale) });
      return httpAttempt({
        url: config.url,
        body: JSON.stringify(slackBody(model)),
        timeoutMs: config.timeout,
        signal,
        secrets: [config.url],
      });
    },
  };
}

/** The webhook body: `text` (notifications and old clients) plus the blocks. */
export function slackBody(m: MessageModel): { text: string; blocks: unknown[] } {
  const mentions = m.owners.slack.map((id) => `<@${id}>`).join(' ');
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(m.title, HEADER_MAX), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(`*${mrkdwn(m.summary)}*`, SECTION_MAX) } },
  ];
  for (const item of m.items) {
    const facts = item.facts.map(([label, value]) => `*${mrkdwn(label)}:* ${mrkdwn(value)}`).join('\n');
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(`*${mrkdwn(item.heading)}*\n${mrkdwn(item.message)}\n${facts}`, SECTION_MAX),
      },
    });
  }
  const context = [m.moreLine, m.ownersLine, mentions].filter(Boolean).map(mrkdwn);
  // Mentions must stay raw `<@U…>`: escaping them would print the id instead of pinging.
  if (mentions) context[context.length - 1] = mentions;
  if (context.length) {
    blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn', text })) });
  }
  if (m.link) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: m.link.label }, url: m.link.url }],
    });
  }
  return { text: toText(m, { mentions }).slice(0, SECTION_MAX), blocks };
}

/** Slack mrkdwn needs only `&`, `<`, `>` escaped (api.slack.com/reference/surfaces/formatting). */
function mrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
