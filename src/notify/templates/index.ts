/**
 * The template layer: one rendering of a Notification into every format a channel needs. Channel
 * files pick an output and add their own envelope.
 */
import type { Notification } from '../types.js';
import { toHtml } from './html.js';
import { toMarkdown } from './markdown.js';
import { buildModel, type MessageModel, type ModelOptions } from './model.js';
import { toText } from './text.js';

export { esc, toHtml } from './html.js';
export { escapeMarkdown, type MarkdownOptions, toMarkdown } from './markdown.js';
export {
  buildModel,
  DEFAULT_MAX_ALERTS,
  type MessageItem,
  type MessageModel,
  type ModelOptions,
} from './model.js';
export { type Owners, ownersOf } from './owners.js';
export { formatTime, type Locale, type Strings, stringsFor } from './strings.js';
export { type TextOptions, toText } from './text.js';
export { TRUNCATION_MARKER, truncateUtf8 } from './truncate.js';

/** A notification rendered in every generic format. */
export interface RenderedMessage {
  /** One line: chat titles and the email subject. */
  title: string;
  /** Plain text, without platform mentions. */
  text: string;
  /** Markdown (DingTalk / WeCom / Feishu subset) with its `###` title, without platform mentions. */
  markdown: string;
  /** A complete HTML document (email). */
  html: string;
  /** The model, for channels that lay out their own structure (Slack blocks, Feishu cards). */
  model: MessageModel;
}

/** Renders a notification in its (or the given) language. */
export function renderNotification(n: Notification, options: ModelOptions = {}): RenderedMessage {
  const model = buildModel(n, options);
  return { title: model.title, text: toText(model), markdown: toMarkdown(model), html: toHtml(model), model };
}
