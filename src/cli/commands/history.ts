import type { Command } from 'commander';
import { withContext } from '../context.js';
import { count, ms, table } from '../format.js';
import { positiveInt } from '../parse.js';

export function register(program: Command): void {
  program
    .command('history')
    .description('refresh runs of a view, newest first')
    .argument('<view>', 'schema.name')
    .option('--limit <n>', 'how many runs', positiveInt, 10)
    .action((view: string, opts: { limit: number }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const runs = await ctx.monitor.getRefreshHistory(view, opts.limit);
        ctx.print(runs, () =>
          runs.length === 0
            ? `No refresh of ${view} is recorded.`
            : table(
                runs.map((r) => [
                  `#${r.id}`,
                  r.startedAt.slice(0, 19).replace('T', ' '),
                  r.status,
                  `${r.usedStrategy ?? r.strategy}${r.fallback ? ' (fallback)' : ''}`,
                  count(r.rowCount),
                  ms(r.durationMs),
                  r.errorMessage
                    ? `${r.errorKind}${r.sqlstate ? ` ${r.sqlstate}` : ''}: ${r.errorMessage}`
                    : '',
                ]),
                ['RUN', 'STARTED (UTC)', 'STATUS', 'STRATEGY', 'ROWS', 'DURATION', 'ERROR'],
              ),
        );
        return 0;
      }),
    );
}
