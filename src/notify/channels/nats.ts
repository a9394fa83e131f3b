/**
 * NATS (`nats` v2): the JSON payload published to a subject. Core NATS is fire-and-forget, so a
 * send flushes (a PING/PONG round trip) to know the server has it; with `jetstream: true` the send
 * waits for the stream's PubAck, and `Nats-Msg-Id` lets JetStream drop a retried duplicate.
 */
import { connect, headers, type NatsConnection } from 'nats';
import { z } from 'zod';
import { redact } from '../../redact.js';
import { describeError, errorCode } from '../classify.js';
import { buildPayload } from '../payload.js';
import type { Channel, Notification, SendResult } from '../types.js';
import { fillTemplate, localeSchema, timedAttempt, timeoutSchema, untilAborted } from './common.js';

/** `notify.channels.<name>` with `type: nats`. */
export const natsConfigSchema = z
  .object({
    type: z.literal('nats'),
    /** Server URL(s) (default `nats://127.0.0.1:4222`). */
    servers: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default('nats://127.0.0.1:4222'),
    /**
     * Subject; `{severity}`, `{view}`, `{type}`, `{transition}` are filled in
     * (default `mvwatch.notifications.{severity}`).
     */
    subject: z.string().min(1).default('mvwatch.notifications.{severity}'),
    /** Publish through JetStream and wait for the stream's acknowledgement (default false). */
    jetstream: z.boolean().default(false),
    /** Username and password (default none). */
    user: z.string().min(1).optional(),
    pass: z.string().optional(),
    /** Token authentication (default none). */
    token: z.string().min(1).optional(),
    /** Connect and acknowledgement timeout, each attempt (default 10s). */
    timeout: timeoutSchema,
    /** Language of the `title` and `text` fields (default the notification's). */
    locale: localeSchema,
  })
  .strict();
export type NatsConfig = z.infer<typeof natsConfigSchema>;

/**
 * Error codes of configuration problems rather than outages: bad credentials, a subject the
 * account may not publish to, a malformed subject, a message over the server's max_payload.
 */
const PERMANENT_CODES = new Set([
  'AUTHORIZATION_VIOLATION',
  'BAD_AUTHENTICATION',
  'PERMISSIONS_VIOLATION',
  'BAD_SUBJECT',
  'MAX_PAYLOAD_EXCEEDED',
]);

/** Creates a NATS channel. `close()` drains its connection. */
export function createNatsChannel(name: string, config: NatsConfig): Channel {
  let conn: Promise<NatsConnection> | undefined;
  const secrets = [config.pass, config.token];

  const open = (): Promise<NatsConnection> => {
    const opening = connect({
      servers: config.servers,
      name: `mvwatch:${name}`,
      timeout: config.timeout,
      user: config.user,
      pass: config.pass,
      token: config.token,
    });
    conn = opening;
    opening.then(
      // Once the client gives up reconnecting, the next send starts a new connection.
      (nc) =>
        nc.closed().then(() => {
          if (conn === opening) conn = undefined;
        }),
      () => {
        if (conn === opening) conn = undefined;
      },
    );
    return opening;
  };

  return {
    name,
    type: 'nats',
    send(n: Notification, signal?: AbortSignal): Promise<SendResult> {
      return timedAttempt(
        'NATS',
        config.timeout,
        signal,
        async (stop) => {
          const nc = await untilAborted(conn ?? open(), stop);
          const subject = fillTemplate(config.subject, n);
          const data = new TextEncoder().encode(JSON.stringify(buildPayload(n, { locale: config.locale })));
          const h = headers();
          h.set('Nats-Msg-Id', n.id);
          h.set('Mvwatch-Transition', n.transition);
          if (config.jetstream) {
            // A PubAck marked `duplicate` (an earlier attempt was stored) is a success too: the stream holds it once.
            await untilAborted(
              nc.jetstream().publish(subject, data, { msgID: n.id, headers: h, timeout: config.timeout }),
              stop,
            );
            return;
          }
          nc.publish(subject, data, { headers: h });
          await untilAborted(nc.flush(), stop);
        },
        (e) => {
          const code = errorCode(e);
          return {
            retry: code === undefined || !PERMANENT_CODES.has(code),
            error: redact(`NATS ${describeError(e)}`, secrets),
          };
        },
      );
    },
    async close() {
      const pending = conn;
      conn = undefined;
      const nc = await pending?.catch(() => undefined);
      if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}
