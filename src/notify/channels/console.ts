/** Prints notifications to a stream: the demo and development. */
import { z } from 'zod';
import { buildPayload } from '../payload.js';
import { renderNotification } from '../templates/index.js';
import type { Channel, Notification, SendResult } from '../types.js';
import { localeOf, localeSchema } from './common.js';

/** `notify.channels.<name>` with `type: console`. */
export const consoleConfigSchema = z
  .object({
    type: z.literal('console'),
    /** `stdout` (default) or `stderr`; a custom stream may be given through createChannel's deps. */
    stream: z.enum(['stdout', 'stderr']).default('stdout'),
    /** `text` (default), `markdown`, or `json` (the webhook payload, one line). */
    format: z.enum(['text', 'markdown', 'json']).default('text'),
    /** Message language (default the notification's). */
    locale: localeSchema,
  })
  .strict();
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

/** Where console writes: anything with a Node-style `write`. */
export interface WritableLike {
  write(chunk: string, callback?: (err?: Error | null) => void): boolean;
}

/** Creates a console channel writing to `out` (default the configured process stream). */
export function createConsoleChannel(name: string, config: ConsoleConfig, out?: WritableLike): Channel {
  const stream: WritableLike = out ?? (config.stream === 'stderr' ? process.stderr : process.stdout);
  return {
    name,
    type: 'console',
    send(n: Notification): Promise<SendResult> {
      const started = performance.now();
      const locale = localeOf(n, config.locale);
      const rendered = renderNotification(n, { locale });
      const text =
        config.format === 'json'
          ? JSON.stringify(buildPayload(n, { locale }))
          : config.format === 'markdown'
            ? rendered.markdown
            : rendered.text;
      return new Promise((resolve) => {
        stream.write(`${text}\n`, (err) => {
          const latencyMs = Math.round(performance.now() - started);
          // A closed stdout (a pipe whose reader left) will not come back: permanent.
          resolve(
            err
              ? { ok: false, retry: false, error: `console write failed: ${err.message}`, latencyMs }
              : { ok: true, retry: false, latencyMs },
          );
        });
      });
    },
  };
}
