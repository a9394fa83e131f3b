import { z } from 'zod';
import type { Config } from '../config/load.js';
import type { AlertingOptions } from './alerting.js';

/** `alerts:` in the config file, at the top level and per view (per view overrides the top level). */
export const alertsConfigSchema = z
  .object({
    escalation: z
      .object({
        /** Consecutive failed refreshes that make an incident critical (default 3; 0: never by count). */
        consecutiveFailures: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

/** The alerting options a configuration implies: escalation policies and declared dependencies. */
export function alertingOptionsFromConfig(
  config: Config,
): Pick<AlertingOptions, 'escalation' | 'views' | 'dependsOn'> {
  return {
    escalation: config.alerts.escalation,
    views: Object.fromEntries(config.views.map((v) => [v.view, { escalation: v.alerts?.escalation }])),
    dependsOn: Object.fromEntries(
      config.views.filter((v) => v.dependsOn.length).map((v) => [v.view, v.dependsOn]),
    ),
  };
}
