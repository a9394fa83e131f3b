import type { Command } from 'commander';
import { ALERT_TYPES, type AlertSeverity, type AlertType, SEVERITIES } from '../../types.js';
import { withContext } from '../context.js';
import { alertRows, table } from '../format.js';
import { oneOf, positiveInt } from '../parse.js';
import { registerShow } from './alerts-show.js';

interface ListOptions {
  view?: string;
  type?: AlertType;
  severity?: AlertSeverity;
  status?: 'firing' | 'resolved';
  unacked?: boolean;
  limit: number;
  offset: number;
}

export function register(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('alerts (incidents), newest first (subcommands: summary, show)')
    .option('--view <view>', 'only this view')
    .option('--type <type>', 'only this alert type', oneOf(ALERT_TYPES))
    .option('--severity <severity>', 'only this severity', oneOf(SEVERITIES))
    .option('--status <status>', 'firing | resolved', oneOf(['firing', 'resolved'] as const))
    .option('--unacked', 'only alerts nobody acknowledged')
    .option('--limit <n>', 'page size', positiveInt, 100)
    .option('--offset <n>', 'skip this many', positiveInt, 0)
    .action((opts: ListOptions, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const list = await ctx.alerting.getAlertHistory(opts);
        ctx.print(list, () => alertRows(list));
        return 0;
      }),
    );

  registerShow(alerts);

  alerts
    .command('summary')
    .description('alert counts by severity and by type')
    .option('--view <view>', 'only this view')
    .option('--days <n>', 'look back this many days', positiveInt, 7)
    .action((opts: { view?: string; days: number }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const s = await ctx.alerting.getAlertSummary(opts);
        ctx.print(s, () => {
          const lines = [
            `${s.total} alert(s) in the last ${s.days} day(s)${s.view ? ` for ${s.view}` : ''}`,
            table(
              SEVERITIES.map((sev) => [sev, String(s.bySeverity[sev])]),
              ['SEVERITY', 'COUNT'],
            ),
          ];
          const types = Object.entries(s.byType);
          if (types.length)
            lines.push(
              table(
                types.map(([t, n]) => [t, String(n)]),
                ['TYPE', 'COUNT'],
              ),
            );
          return lines.join('\n\n');
        });
        return 0;
      }),
    );
}
