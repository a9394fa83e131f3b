/**
 * The `notify.routes` and `notify.delivery` sections: how alerts find channels, how they are
 * grouped, and how the job queue delivers them. Every default lives in {@link NOTIFY_DEFAULTS}.
 */
import { z } from 'zod';
import { durationSchema, positiveDurationSchema } from '../config/duration.js';
import { ALERT_TYPES, SEVERITIES } from '../types.js';
import { localeSchema } from './channels/common.js';

/** Every default of routing and delivery, in one place (STYLE §12). */
export const NOTIFY_DEFAULTS = Object.freeze({
  /** Alertmanager's default grouping is by alert name; ours is by view, the unit people own. */
  groupBy: Object.freeze(['view']) as readonly string[],
  /** First message of a new group: at once (Alertmanager 30s; a refresh already batches its checks). */
  groupWaitMs: 0,
  /** Later changes of a group: at most one message a minute. */
  groupIntervalMs: 60_000,
  /** A still-firing incident that keeps occurring is re-sent every 4 h (Alertmanager's default). */
  repeatIntervalMs: 4 * 3_600_000,
  sendResolved: true,
  locale: 'en' as const,
  /** Attempts per delivery: with a 1 s base doubling up to 10 min, ~13 min of trying. */
  maxAttempts: 8,
  /** Delay before the first retry; doubles each attempt. */
  backoffMs: 1_000,
  /** Longest delay between two attempts (also caps a receiver's Retry-After). */
  maxBackoffMs: 10 * 60_000,
  /** graphile-worker's own schema, kept apart from mvwatch's state schema. */
  workerSchema: 'mvwatch_worker',
  /** Jobs run at once per worker process: deliveries wait on the network, not the CPU. */
  concurrency: 10,
  /** How often the worker releases ended silences, recovers jobs of dead workers and prunes. */
  maintenanceIntervalMs: 10_000,
  /** A job locked this recently is never treated as abandoned, whatever its worker's liveness says. */
  recoveryGraceMs: 1_000,
});

/** One value or a list of values, always read as a list. */
function oneOrMany<T extends z.ZodType<string>>(item: T) {
  return z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);
}

const severitySchema = z.enum(SEVERITIES as [string, ...string[]], {
  error: () => `expected one of ${SEVERITIES.join(', ')}`,
});

/** An alert type, or a glob over types (`refresh_*`). */
const typeSchema = z
  .string()
  .refine((t) => /[*?]/.test(t) || (ALERT_TYPES as readonly string[]).includes(t), {
    message: `expected an alert type (${ALERT_TYPES.join(', ')}) or a glob such as refresh_*`,
  });

/** What a route groups by: `view`, `type`, `severity`, `labels.<name>` (or a bare label name), or `...` (every incident alone). */
const groupBySchema = z.array(z.string().min(1)).min(1);

/** One entry of `notify.routes`. Matchers are ANDed; an absent matcher matches everything. */
export const routeSchema = z
  .object({
    /** Stable name of the route (delivery log, group keys). Default: derived from its matchers and channels. */
    name: z.string().min(1).max(64).optional(),
    /** One severity or a list (default any). */
    severity: oneOrMany(severitySchema).optional(),
    /** One alert type or glob, or a list (default any). */
    type: oneOrMany(typeSchema).optional(),
    /** One view name or glob (`analytics.*`), or a list (default any). */
    view: oneOrMany(z.string().min(1)).optional(),
    /** Label name → exact value or glob; the alert's view must carry each (default none). */
    labels: z.record(z.string(), z.string()).optional(),
    /** Channels (keys of `notify.channels`) that receive the group; `[]` drops the alerts. */
    channels: z.array(z.string()),
    /** Keep matching later routes after this one (default false: first match wins). */
    continue: z.boolean().default(false),
    /** Default `[view]`. */
    groupBy: groupBySchema.optional(),
    /** Wait before the first message of a new group (default 0s). */
    groupWait: durationSchema.optional(),
    /** Wait between messages of a group whose contents changed (default 1m). */
    groupInterval: positiveDurationSchema.optional(),
    /** Re-send a still-occurring incident after this long (default 4h). */
    repeatInterval: positiveDurationSchema.optional(),
    /** Send resolved notifications (default true). */
    sendResolved: z.boolean().optional(),
    /** Channel that receives a notification whose delivery died (default none). */
    fallback: z.string().optional(),
    /** Message language (default en). */
    locale: localeSchema,
  })
  .strict();
export type RouteConfig = z.infer<typeof routeSchema>;

/** A platform's rate limit override: at most `max` messages per `per`. */
const rateLimitSchema = z.object({ max: z.number().int().positive(), per: positiveDurationSchema }).strict();

/** `notify.delivery`: retries, the queue, rate-limit overrides. Every key optional. */
export const deliverySchema = z
  .object({
    /** Attempts per delivery before it is dead (default 8). */
    maxAttempts: z.number().int().min(1).max(100).optional(),
    /** First retry delay, doubled per attempt with full jitter (default 1s). */
    backoff: positiveDurationSchema.optional(),
    /** Longest retry delay (default 10m). */
    maxBackoff: positiveDurationSchema.optional(),
    /** graphile-worker's schema (default mvwatch_worker). */
    workerSchema: z.string().min(1).max(63).optional(),
    /** Jobs run at once per worker process (default 10). */
    concurrency: z.number().int().min(1).max(200).optional(),
    /** Ended silences, abandoned jobs and old counters are looked at this often (default 10s). */
    maintenanceInterval: positiveDurationSchema.optional(),
    /** Per channel name: `[]` for no limit, or a list of `{ max, per }` replacing the platform's limits. */
    rateLimits: z.record(z.string(), z.array(rateLimitSchema)).optional(),
  })
  .strict();
export type DeliveryConfig = z.infer<typeof deliverySchema>;

/**
 * Cross-checks routes and rate limits against the configured channels: an unknown channel name
 * is a configuration error at its path (`routes[1].channels[0]`), never a silent drop at 3 a.m.
 */
export function checkChannelNames(
  notify: { channels: Record<string, unknown>; routes: readonly RouteConfig[]; delivery?: DeliveryConfig },
  ctx: z.RefinementCtx,
): void {
  const known = Object.keys(notify.channels);
  const hint = known.length
    ? `configured: ${known.join(', ')}`
    : 'no channels are configured under notify.channels';
  const check = (name: string, path: (string | number)[]) => {
    if (!known.includes(name))
      ctx.addIssue({ code: 'custom', path, message: `unknown channel "${name}" (${hint})` });
  };
  notify.routes.forEach((r, i) => {
    r.channels.forEach((c, j) => {
      check(c, ['routes', i, 'channels', j]);
    });
    if (r.fallback !== undefined) check(r.fallback, ['routes', i, 'fallback']);
  });
  for (const name of Object.keys(notify.delivery?.rateLimits ?? {}))
    check(name, ['delivery', 'rateLimits', name]);
}
