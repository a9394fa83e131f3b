import type { Command } from 'commander';
import { parseQualifiedName } from '../../db/identifiers.js';
import { MvwatchError } from '../../errors.js';
import { runViews } from '../../task/run-many.js';
import type { RefreshStrategy } from '../../types.js';
import { withContext } from '../context.js';
import { refreshLines } from '../format.js';
import { duration, strategy } from '../parse.js';

interface RefreshOptions {
  all?: boolean;
  strategy?: RefreshStrategy;
  timeout?: number;
  lockTimeout?: number;
}

export function register(program: Command): void {
  program
    .command('refresh')
    .description('refresh views and run the whole pipeline: record, checks, alerts, notifications')
    .argument('[views...]', 'views as schema.name (a bare name means public.name)')
    .option('--all', 'every configured view, upstream views first')
    .option('--strategy <strategy>', "full | concurrent | auto (default: the view's, else auto)", strategy)
    .option(
      '--timeout <duration>',
      "statement timeout, e.g. 30s, 10m (default: the view's, else 10m)",
      duration,
    )
    .option('--lock-timeout <duration>', "how long to wait for the view's lock (default 30s)", duration)
    .action((views: string[], opts: RefreshOptions, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        if (opts.all && views.length) throw usage('Give view names or --all, not both.');
        // Every name is checked before anything runs: one bad name refreshes nothing.
        for (const v of views) parseQualifiedName(v);
        const targets = opts.all ? ctx.config.views.map((v) => v.view) : views;
        if (targets.length === 0) {
          throw usage(
            opts.all
              ? `No views are configured${ctx.config.path ? ` in ${ctx.config.path}` : ''}: list them under views:, or name them.`
              : 'Name at least one view (schema.name), or use --all.',
          );
        }
        const results = await runViews(ctx.db, ctx.config, targets, {
          overrides: {
            strategy: opts.strategy,
            timeoutMs: opts.timeout,
            lockTimeoutMs: opts.lockTimeout,
            trigger: 'cli',
          },
          alerting: ctx.alerting,
          checkStep: ctx.checkStep,
          log: ctx.log,
        });
        const refreshes = results.map((r) => r.refresh);
        ctx.print(refreshes.length === 1 && !opts.all ? refreshes[0] : refreshes, () =>
          refreshes.map(refreshLines).join('\n'),
        );
        return results.some((r) => r.status === 'failed' || r.status === 'cancelled') ? 1 : 0;
      }),
    );
}

function usage(message: string): MvwatchError {
  return new MvwatchError('MVW_INVALID_ARGUMENT', message);
}
