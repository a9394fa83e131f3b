/**
 * RabbitMQ / AMQP 0-9-1 (amqplib): the JSON payload published persistent and mandatory to an
 * exchange on a confirm channel; a send succeeds only once the broker has confirmed it and has not
 * returned it as unroutable. One connection per channel, reused; a broken one is dropped and the
 * next send opens a fresh one.
 */
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { z } from 'zod';
import { redact } from '../../redact.js';
import { describeError, errorCode } from '../classify.js';
import { buildPayload } from '../payload.js';
import type { Channel, Notification, SendResult } from '../types.js';
import { fillTemplate, localeSchema, timedAttempt, timeoutSchema, untilAborted } from './common.js';

/** `notify.channels.<name>` with `type: amqp`. */
export const amqpConfigSchema = z
  .object({
    type: z.literal('amqp'),
    /** Broker URL, `amqp://user:pass@host:5672/vhost` or `amqps://…` (required). */
    url: z.string().regex(/^amqps?:\/\//, { message: 'expected an amqp:// or amqps:// URL' }),
    /** Exchange to publish to (required; `''` is the default exchange, where the routing key names a queue). */
    exchange: z.string(),
    /** Exchange type used when `declare` is on (default `topic`). */
    exchangeType: z.enum(['direct', 'topic', 'fanout', 'headers']).default('topic'),
    /** Declare the exchange, durable, on connect (default false: it must exist). */
    declare: z.boolean().default(false),
    /**
     * Routing key; `{severity}`, `{view}`, `{type}`, `{transition}` are filled in
     * (default `mvwatch.{severity}.{transition}`).
     */
    routingKey: z.string().default('mvwatch.{severity}.{transition}'),
    /**
     * Publish `mandatory` (default true): a message that no queue is bound to receive comes back
     * from the broker and the attempt fails (and is retried) instead of being dropped unseen.
     * Turn off only for exchanges where dropping unrouted messages is intended.
     */
    mandatory: z.boolean().default(true),
    /** Connect and confirm timeout, each attempt (default 10s). */
    timeout: timeoutSchema,
    /** Language of the `title` and `text` fields (default the notification's). */
    locale: localeSchema,
  })
  .strict()
  .refine((c) => !(c.declare && c.exchange === ''), {
    message: 'the default exchange cannot be declared: name an exchange or turn declare off',
    path: ['declare'],
  });
export type AmqpConfig = z.infer<typeof amqpConfigSchema>;

/**
 * AMQP reply codes that are configuration problems, not outages: 403 ACCESS_REFUSED, 404 NOT_FOUND
 * (no such exchange), 406 PRECONDITION_FAILED (exchange declared with another type), 530 NOT_ALLOWED.
 */
const PERMANENT_REPLY_CODES = new Set(['403', '404', '406', '530']);

interface Link {
  model: ChannelModel;
  channel: ConfirmChannel;
  /** The broker's reason when it closed the channel (amqplib emits `error`, then `close`). */
  lastError?: Error;
  /**
   * Messages the broker returned as unroutable, by messageId, until their confirm arrives. RabbitMQ
   * sends basic.return before the basic.ack of the same message, so the confirm callback sees it.
   */
  returned: Map<string, string>;
}

/** A returned message: the broker's reply code and text, e.g. `312 NO_ROUTE`. */
interface ReturnedMessage {
  fields: { replyCode: number; replyText: string; exchange: string; routingKey: string };
  properties: { messageId?: string };
}

/** Creates an AMQP channel. `close()` closes its connection. */
export function createAmqpChannel(name: string, config: AmqpConfig): Channel {
  let link: Promise<Link> | undefined;
  const secrets = [passwordOf(config.url)];

  const open = (): Promise<Link> => {
    const opening = (async () => {
      const model = await amqp.connect(config.url, {
        timeout: config.timeout,
        clientProperties: { connection_name: `mvwatch:${name}` },
      });
      const drop = () => {
        if (link === opening) link = undefined;
      };
      // Without a listener an `error` event would crash the process; `close` follows it and drops the link.
      model.on('error', () => {});
      model.on('close', drop);
      try {
        const channel = await model.createConfirmChannel();
        const current: Link = { model, channel, returned: new Map() };
        channel.on('error', (e: Error) => {
          current.lastError = e;
        });
        channel.on('return', (msg: ReturnedMessage) => {
          const id = msg.properties.messageId;
          const { replyCode, replyText, exchange, routingKey } = msg.fields;
          if (id)
            current.returned.set(
              id,
              `${replyCode} ${replyText}: no queue is bound to exchange "${exchange}" for routing key "${routingKey}"`,
            );
        });
        // A channel closed by the broker (a publish to a missing exchange) takes the connection with it:
        // the next send starts clean instead of reusing a connection with no channel.
        channel.on('close', () => {
          drop();
          model.close().catch(() => {});
        });
        if (config.declare) {
          await channel.assertExchange(config.exchange, config.exchangeType, { durable: true });
        }
        return current;
      } catch (e) {
        await model.close().catch(() => {});
        throw e;
      }
    })();
    link = opening;
    opening.catch(() => {
      if (link === opening) link = undefined;
    });
    return opening;
  };

  return {
    name,
    type: 'amqp',
    send(n: Notification, signal?: AbortSignal): Promise<SendResult> {
      let current: Link | undefined;
      return timedAttempt(
        'AMQP',
        config.timeout,
        signal,
        async (stop) => {
          current = await untilAborted(link ?? open(), stop);
          const body = Buffer.from(JSON.stringify(buildPayload(n, { locale: config.locale })));
          await untilAborted(publish(current, config, fillTemplate(config.routingKey, n), body, n), stop);
        },
        (e) => {
          const cause = current?.lastError ?? e;
          const code = errorCode(cause) ?? (/ACCESS.REFUSED/.test(describeError(cause)) ? '403' : undefined);
          return {
            retry: code === undefined || !PERMANENT_REPLY_CODES.has(code),
            error: redact(`AMQP ${describeError(cause)}`, secrets),
          };
        },
      );
    },
    async close() {
      const pending = link;
      link = undefined;
      if (!pending) return;
      const current = await pending.catch(() => undefined);
      await current?.model.close().catch(() => {});
    },
  };
}

/**
 * Publishes and resolves when the broker acks; rejects on a nack, a return (unroutable, with
 * `mandatory`) or a channel closed first.
 */
function publish(
  link: Link,
  config: Pick<AmqpConfig, 'exchange' | 'mandatory'>,
  routingKey: string,
  body: Buffer,
  n: Notification,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onClose = () => reject(link.lastError ?? new Error('channel closed before the broker confirmed'));
    link.channel.once('close', onClose);
    link.channel.publish(
      config.exchange,
      routingKey,
      body,
      {
        mandatory: config.mandatory,
        // Delivery mode 2: the broker writes it to disk in durable queues.
        persistent: true,
        messageId: n.id,
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        // AMQP timestamps are seconds.
        timestamp: Math.floor(Date.parse(n.createdAt) / 1000) || Math.floor(Date.now() / 1000),
        type: `mvwatch.${n.transition}`,
        appId: 'mvwatch',
      },
      (err: unknown) => {
        link.channel.off('close', onClose);
        const returned = link.returned.get(n.id);
        link.returned.delete(n.id);
        if (err) reject(err instanceof Error ? err : new Error('message nacked by the broker'));
        else if (returned) reject(new Error(`message returned unroutable (${returned})`));
        else resolve();
      },
    );
  });
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
