import type { MaterializedViewAlerting } from '../alerts/alerting.js';
import type { Config, ViewConfig } from '../config/load.js';
import type { Db } from '../db/db.js';
import { formatQualified, parseQualifiedName } from '../db/identifiers.js';
import type { RefreshStrategy } from '../types.js';
import { type CheckStep, MaterializedViewTask } from './task.js';

/** Per-run overrides from the command line or the API. */
export interface RunOverrides {
  strategy?: RefreshStrategy;
  timeoutMs?: number;
  lockTimeoutMs?: number;
  trigger?: string;
}

/** Builds the check step of a configured view; provided by the check engine. */
export type CheckStepFactory = (view: ViewConfig) => CheckStep | undefined;

/**
 * The settings of `view`: its configuration when it is configured, the defaults otherwise
 * (any materialized view can be refreshed by name).
 */
export function viewSettings(config: Config, view: string): ViewConfig {
  const configured = config.view(view);
  if (configured) return configured;
  const name = parseQualifiedName(view);
  return {
    name,
    view: formatQualified(name),
    strategy: config.defaults.strategy,
    timeoutMs: config.defaults.timeoutMs,
    lockTimeoutMs: config.defaults.lockTimeoutMs,
    gate: config.defaults.gate,
    labels: {},
    checks: {},
    dependsOn: [],
    sourceTables: [],
  };
}

/** A MaterializedViewTask for one view, from configuration plus overrides. */
export function taskFor(
  db: Db,
  settings: ViewConfig,
  overrides: RunOverrides = {},
  parts: { alerting?: MaterializedViewAlerting; checkStep?: CheckStepFactory } = {},
): MaterializedViewTask {
  return new MaterializedViewTask(
    db,
    {
      view: settings.view,
      strategy: overrides.strategy ?? settings.strategy,
      timeoutMs: overrides.timeoutMs ?? settings.timeoutMs,
      lockTimeoutMs: overrides.lockTimeoutMs ?? settings.lockTimeoutMs,
      gate: settings.gate,
      checks: parts.checkStep?.(settings),
      sourceTables: settings.sourceTables,
      labels: settings.labels,
      freshness: settings.freshness,
      trigger: overrides.trigger,
    },
    { alerting: parts.alerting },
  );
}
