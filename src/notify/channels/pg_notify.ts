/**
 * PostgreSQL NOTIFY: a compact JSON payload on a channel name, for listeners already connected to
 * the database. The payload always fits PostgreSQL's limit: it is shrunk, never refused.
 */
import { z } from 'zod';
import { type Db, isConnectionError } from '../../db/db.js';
import { sqlstateOf } from '../../db/sqlstate.js';
import { redact } from '../../redact.js';
import { describeError } from '../classify.js';
import { compactPayload } from '../payload.js';
import type { Channel, Notification, SendResult } from '../types.js';

/**
 * PostgreSQL refuses payloads of 8000 bytes or more (NOTIFY_PAYLOAD_MAX_LENGTH, in the server
 * encoding; UTF-8 assumed), so the largest accepted payload is 7999 bytes.
 */
export const PG_NOTIFY_MAX_BYTES = 7999;

/**
 * Server states that pass by themselves: 57P03 cannot_connect_now (starting up, shutting down),
 * 53300 too_many_connections, 40001/40P01 serialization failure and deadlock. Other SQL errors repeat.
 */
const TRANSIENT_SQLSTATES: ReadonlySet<string> = new Set(['57P03', '53300', '40001', '40P01']);

/** `notify.channels.<name>` with `type: pg_notify`. */
export const pgNotifyConfigSchema = z
  .object({
    type: z.literal('pg_notify'),
    /** The NOTIFY channel that listeners `LISTEN` on (required; 1 to 63 bytes, PostgreSQL's NAMEDATALEN - 1). */
    channel: z
      .string()
      .min(1)
      .refine((v) => Buffer.byteLength(v, 'utf8') <= 63, { message: 'expected at most 63 bytes' }),
  })
  .strict();
export type PgNotifyConfig = z.infer<typeof pgNotifyConfigSchema>;

/** Creates a pg_notify channel on mvwatch's own database. */
export function createPgNotifyChannel(name: string, config: PgNotifyConfig, db: Db): Channel {
  return {
    name,
    type: 'pg_notify',
    async send(n: Notification, signal?: AbortSignal): Promise<SendResult> {
      const started = performance.now();
      const latencyMs = () => Math.round(performance.now() - started);
      try {
        signal?.throwIfAborted();
        // pg_notify() takes the channel as a value: a bind parameter, unlike `NOTIFY "name"`.
        await db.query('select pg_notify($1::text, $2::text)', [
          config.channel,
          compactPayload(n, PG_NOTIFY_MAX_BYTES),
        ]);
        return { ok: true, retry: false, latencyMs: latencyMs() };
      } catch (e) {
        const state = sqlstateOf(e);
        return {
          ok: false,
          retry:
            isConnectionError(e) ||
            signal?.aborted === true ||
            (state !== undefined && TRANSIENT_SQLSTATES.has(state)),
          error: redact(`pg_notify ${describeError(e)}`),
          latencyMs: latencyMs(),
        };
      }
    },
  };
}
