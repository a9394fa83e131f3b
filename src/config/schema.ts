import { z } from 'zod';
import { alertsConfigSchema } from '../alerts/config.js';
import { checksSchema } from '../checks/config.js';
import { parseQualifiedName } from '../db/identifiers.js';
import { notifySchema } from '../notify/config.js';
import { REFRESH_STRATEGIES } from '../types.js';
import { durationSchema } from './duration.js';

export { durationSchema };

const strategySchema = z.enum(REFRESH_STRATEGIES as [string, ...string[]], {
  error: () => `expected one of ${REFRESH_STRATEGIES.join(', ')}`,
});

const viewNameSchema = z.string().superRefine((v, ctx) => {
  try {
    parseQualifiedName(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

/** One entry of `views:` as written in the file (defaults are applied by loadConfig). */
export const viewSchema = z
  .object({
    /** `schema.name` of the materialized view. */
    name: viewNameSchema,
    /** Cron expression; omitted: refreshed only on demand or after an upstream view. */
    schedule: z.string().optional(),
    strategy: strategySchema.optional(),
    timeout: durationSchema.optional(),
    lockTimeout: durationSchema.optional(),
    /** Publish new contents only if no check ends in error. */
    gate: z.boolean().optional(),
    freshness: z
      .object({ warnAfter: durationSchema, errorAfter: durationSchema.optional() })
      .strict()
      .optional(),
    labels: z.record(z.string(), z.string()).default({}),
    checks: checksSchema.default({}),
    /** Upstream views refreshed first (in addition to those PostgreSQL's catalog reveals). */
    dependsOn: z.array(viewNameSchema).default([]),
    /** Tables the view reads, recorded in metadata like the seed's `source_tables`. */
    sourceTables: z.array(z.string()).default([]),
    /** Alert lifecycle settings of this view, over the top-level `alerts:` (issue 4). */
    alerts: alertsConfigSchema.optional(),
  })
  .strict();

/** The whole `mvwatch.yaml`, before defaults (SPEC §4). */
export const configSchema = z
  .object({
    /** Connection string; omitted or empty: the embedded PostgreSQL. */
    database: z.string().optional(),
    schema: z.string().min(1).max(63).optional(),
    defaults: z
      .object({
        strategy: strategySchema.optional(),
        timeout: durationSchema.optional(),
        lockTimeout: durationSchema.optional(),
        gate: z.boolean().optional(),
      })
      .strict()
      .default({}),
    views: z.array(viewSchema).default([]),
    notify: notifySchema.optional(),
    server: z.record(z.string(), z.unknown()).optional(),
    /** Alert lifecycle settings: `alerts: { escalation: { consecutiveFailures: 3 } }`. */
    alerts: alertsConfigSchema.optional(),
  })
  .strict();

export type RawConfig = z.infer<typeof configSchema>;
