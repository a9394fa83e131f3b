/**
 * The markdown subset DingTalk, WeCom (`markdown`) and Feishu (`lark_md`) all render: headings,
 * `**bold**`, `[text](url)`, `> quote`, and paragraphs separated by blank lines (single newlines
 * are dropped by some of them). No lists, rules or tables: WeCom's v1 markdown shows them raw.
 */
import type { MessageModel } from './model.js';

/** Options of toMarkdown. */
export interface MarkdownOptions {
  /** Start with the title as a `###` heading (default true; off where the envelope shows it). */
  title?: boolean;
  /** A line of @mentions in the platform's own syntax, appended last (default none). */
  mentions?: string;
}

/** Renders the model as markdown. */
export function toMarkdown(m: MessageModel, options: MarkdownOptions = {}): string {
  const blocks: string[] = [];
  if (options.title ?? true) blocks.push(`### ${escapeMarkdown(m.title)}`);
  blocks.push(`**${escapeMarkdown(m.summary)}**`);
  for (const item of m.items) {
    blocks.push(`**${escapeMarkdown(item.heading)}**`);
    blocks.push(`> ${escapeMarkdown(item.message).replace(/\n+/g, ' ')}`);
    blocks.push(item.facts.map(([label, value]) => `${label}: ${escapeMarkdown(value)}`).join('  \n'));
  }
  if (m.moreLine) blocks.push(m.moreLine);
  if (m.link) blocks.push(`[${m.link.label}](${m.link.url})`);
  if (m.ownersLine) blocks.push(escapeMarkdown(m.ownersLine));
  if (options.mentions) blocks.push(options.mentions);
  return blocks.join('\n\n');
}

/**
 * Neutralises what would turn data into emphasis, code or a link: `\`, `*`, `` ` `` and the `](` of
 * a link. Lone brackets (`[FIRING]`), `_` (`sector_daily_mv`) and `#` (only special at a line start,
 * which data never occupies here) stay as they are: not every platform unescapes a backslash.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*])/g, '\\$1').replace(/\]\(/g, '\\](');
}
