import { MaterializedViewAlerting } from './alerts/alerting.js';
import { alertingOptionsFromConfig } from './alerts/config.js';
import type { TransitionHook } from './alerts/events.js';
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
      const inputs = await loadCheckInputs(db, ctx.viewKey);
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
