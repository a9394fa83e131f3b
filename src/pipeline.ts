import { MaterializedViewAlerting } from './alerts/alerting.js';
import { alertingOptionsFromConfig } from './alerts/config.js';
import type { TransitionHook } from './alerts/events.js';
import { CHECK_DEFAULTS } from './checks/config.js';
import { loadCheckInputs, runChecks, saveColumns } from './checks/engine.js';
import type { Config } from './config/load.js';
import type { Db } from './db/db.js';
import type { CheckStepFactory } from './task/from-config.js';

/**
 * The check step every command and the server use: a configured view's checks run by the
 * engine (src/checks) in one scan, on the connection the task hands over — inside the refresh
 * transaction when the view's quality gate is on. A view without checks gets none.
 */
export function createCheckStepFactory(db: Db): CheckStepFactory {
  return (view) => {
    if (Object.keys(view.checks).length === 0) return undefined;
    return async (client, ctx) => {
      // History first: the current run is recorded after the checks, never counted as "previous".
      // Read on the step's own connection (it may hold the refresh lock; the pool may be full),
      // as far back as the longest configured history window.
      const inputs = await loadCheckInputs(client, ctx.viewKey, {
        schema: db.schema,
        window: historyWindow(view.checks),
      });
      const run = await runChecks({
        ...inputs,
        client,
        view: ctx.view,
        viewKey: ctx.viewKey,
        checks: view.checks,
        refreshDurationMs: ctx.refreshDurationMs,
        // Outside the gate the duplicate sort runs beside the main scan on a second connection.
        pool: db.pool,
      });
      // On the same connection: under the gate the snapshot rolls back with rejected contents.
      await saveColumns(client, ctx.viewKey, run.columns, { schema: db.schema });
      return { results: run.results, status: run.status, rowCount: run.rowCount };
    };
  };
}

/** Successful runs the checks look back on: the default, or a configured longer `window`. */
function historyWindow(checks: Parameters<CheckStepFactory>[0]['checks']): number {
  const windows = Object.values(checks).map((c) => ('window' in c ? Number(c.window) : 0));
  return Math.max(CHECK_DEFAULTS.historyWindow, ...windows);
}

/**
 * The alerting every process uses: escalation policies and declared dependencies from the
 * configuration, and the notification hook (deliveries queued in the alert's own transaction).
 */
export function createAlerting(
  db: Db,
  config: Config,
  hooks: { onTransitions?: TransitionHook } = {},
): MaterializedViewAlerting {
  return new MaterializedViewAlerting(db, { ...alertingOptionsFromConfig(config), ...hooks });
}
