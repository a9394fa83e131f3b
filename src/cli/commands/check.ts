import type { Command } from 'commander';
import { MvwatchError } from '../../errors.js';
import { viewSettings } from '../../task/from-config.js';
import type { CheckResult, CheckStatus } from '../../types.js';
import { withContext } from '../context.js';
import { checkLine, count } from '../format.js';

/** What `mvwatch check --json` prints. */
interface CheckCommandResult {
  view: string;
  status: CheckStatus;
  rowCount: number | null;
  checks: CheckResult[];
  alerts: number[];
}

export function register(program: Command): void {
  program
    .command('check')
    .description("run a view's configured checks without refreshing it; exit 1 when a check ends in error")
    .argument('<view>', 'schema.name')
    .action((view: string, _opts, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const settings = viewSettings(ctx.config, view);
        const step = ctx.checkStep(settings);
        if (!step) {
          throw new MvwatchError(
            'MVW_VIEW_NOT_CONFIGURED',
            `${settings.view} has no checks configured${ctx.config.path ? ` in ${ctx.config.path}` : ' (no mvwatch.yaml found)'}: add them under views[].checks.`,
          );
        }
        const client = await ctx.db.pool.connect();
        let outcome: Awaited<ReturnType<typeof step>>;
        try {
          outcome = await step(client, { view: settings.name, viewKey: settings.view });
        } finally {
          client.release();
        }
        await ctx.monitor.recordQualityChecks(settings.view, outcome.results, null);
        const alerts = await ctx.alerting.observeChecks(settings.view, outcome.results, {
          labels: settings.labels,
        });
        const result: CheckCommandResult = {
          view: settings.view,
          status: outcome.status,
          rowCount: outcome.rowCount ?? null,
          checks: outcome.results,
          alerts,
        };
        ctx.print(result, () =>
          [
            `${settings.view}: ${outcome.status} (${count(result.rowCount)} rows)`,
            ...outcome.results.map(checkLine),
            ...(alerts.length ? [`    alerts: ${alerts.map((a) => `#${a}`).join(', ')}`] : []),
          ].join('\n'),
        );
        return outcome.status === 'error' ? 1 : 0;
      }),
    );
}
