import type { MaterializedViewAlerting } from '../alerts/alerting.js';
import type { Config } from '../config/load.js';
import type { Db } from '../db/db.js';
import { type Logger, silentLogger } from '../log.js';
import { dependencyOrder, loadDependencies } from '../refresh/dependencies.js';
import { type CheckStepFactory, type RunOverrides, taskFor, viewSettings } from './from-config.js';
import type { TaskResult } from './task.js';

/** Options of runViews. */
export interface RunManyOptions {
  overrides?: RunOverrides;
  alerting?: MaterializedViewAlerting;
  checkStep?: CheckStepFactory;
  log?: Logger;
  /** Stops between views (and between steps of the running view). */
  signal?: AbortSignal;
}

/**
 * Runs the pipeline for each view, one after another, upstream views first (PostgreSQL's
 * catalog plus `dependsOn` from configuration). Names are validated before anything runs.
 */
export async function runViews(
  db: Db,
  config: Config,
  views: readonly string[],
  options: RunManyOptions = {},
): Promise<TaskResult[]> {
  const log = options.log ?? silentLogger;
  const settings = views.map((v) => viewSettings(config, v));
  const declared = Object.fromEntries(
    config.views.filter((v) => v.dependsOn.length).map((v) => [v.view, v.dependsOn]),
  );
  const ordered =
    settings.length > 1
      ? dependencyOrder(
          settings.map((s) => s.view),
          await loadDependencies(db, declared),
        )
      : settings.map((s) => s.view);
  const byName = new Map(settings.map((s) => [s.view, s]));
  const results: TaskResult[] = [];
  for (const view of ordered) {
    if (options.signal?.aborted) break;
    const task = taskFor(db, byName.get(view)!, options.overrides, {
      alerting: options.alerting,
      checkStep: options.checkStep,
    });
    log.debug('refreshing', { view });
    const result = await task.run({ signal: options.signal });
    log.debug('refreshed', { view, status: result.status, durationMs: result.refresh.durationMs });
    results.push(result);
  }
  return results;
}
