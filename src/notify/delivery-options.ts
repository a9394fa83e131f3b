/** `notify.delivery` with every default applied (the one place delivery settings are resolved). */
import { quoteIdent } from '../db/identifiers.js';
import type { NotifyConfig } from './config.js';
import type { RateLimit } from './rate-limit.js';
import { NOTIFY_DEFAULTS } from './route-config.js';

/** Resolved delivery settings. */
export interface DeliveryOptions {
  /** Attempts per delivery before it is dead (default 8). */
  maxAttempts: number;
  /** First retry delay in ms (default 1000), doubled per attempt. */
  backoffMs: number;
  /** Longest retry delay in ms (default 600 000). */
  maxBackoffMs: number;
  /** graphile-worker's schema as written (default `mvwatch_worker`). */
  workerSchema: string;
  /** The same, quoted for SQL. */
  ws: string;
  /** Jobs run at once per worker process (default 10). */
  concurrency: number;
  /** Maintenance period in ms (default 10 000). */
  maintenanceIntervalMs: number;
  /** A job locked more recently than this (ms) is never recovered (default 1000). */
  recoveryGraceMs: number;
  /** Per channel name: limits replacing the platform's (an empty list: unlimited). */
  rateLimits: Readonly<Record<string, readonly RateLimit[]>>;
}

/** Resolves `notify.delivery` (absent: all defaults). */
export function deliveryOptions(notify: Pick<NotifyConfig, 'delivery'> | undefined): DeliveryOptions {
  const d = notify?.delivery ?? {};
  const workerSchema = d.workerSchema ?? NOTIFY_DEFAULTS.workerSchema;
  return {
    maxAttempts: d.maxAttempts ?? NOTIFY_DEFAULTS.maxAttempts,
    backoffMs: d.backoff ?? NOTIFY_DEFAULTS.backoffMs,
    maxBackoffMs: d.maxBackoff ?? NOTIFY_DEFAULTS.maxBackoffMs,
    workerSchema,
    ws: quoteIdent(workerSchema),
    concurrency: d.concurrency ?? NOTIFY_DEFAULTS.concurrency,
    maintenanceIntervalMs: d.maintenanceInterval ?? NOTIFY_DEFAULTS.maintenanceIntervalMs,
    recoveryGraceMs: NOTIFY_DEFAULTS.recoveryGraceMs,
    rateLimits: Object.fromEntries(
      Object.entries(d.rateLimits ?? {}).map(([name, list]) => [
        name,
        list.map((l) => ({ max: l.max, perMs: l.per })),
      ]),
    ),
  };
}
