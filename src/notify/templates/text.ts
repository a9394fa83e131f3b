/** Plain text: the console, email's text part, chat platforms' `text` messages. */
import type { MessageModel } from './model.js';

/** Options of toText. */
export interface TextOptions {
  /** A line of @mentions in the platform's own syntax, appended last (default none). */
  mentions?: string;
}

/** Renders the model as plain text, one fact per line. */
export function toText(m: MessageModel, options: TextOptions = {}): string {
  const lines = [m.title, m.summary, ''];
  for (const item of m.items) {
    lines.push(item.heading, `  ${item.message}`);
    for (const [label, value] of item.facts) lines.push(`  ${label}: ${value}`);
    lines.push('');
  }
  if (m.moreLine) lines.push(m.moreLine, '');
  if (m.link) lines.push(`${m.link.label}: ${m.link.url}`);
  if (m.ownersLine) lines.push(m.ownersLine);
  if (options.mentions) lines.push(options.mentions);
  return lines.join('\n').trimEnd();
}
