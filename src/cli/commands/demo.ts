import { join } from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../../paths.js';
import { runViews } from '../../task/run-many.js';
import { type CliContext, globalsOf, withContext } from '../context.js';
import { alertRows, refreshLines } from '../format.js';
import { positiveInt } from '../parse.js';

interface DemoOptions {
  stocks: number;
  days: number;
}

/** The example's config, unless --config names another. */
function demoConfigPath(cmd: Command): string {
  return globalsOf(cmd).config ?? join(packageRoot(), 'examples', 'ashare', 'mvwatch.yaml');
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'seed the A-share example data set (examples/ashare), refresh and check every view, print status and alerts',
    )
    .option('--stocks <n>', 'synthetic stocks', positiveInt, 300)
    .option('--days <n>', 'trading days', positiveInt, 120)
    .action((opts: DemoOptions, cmd: Command) => {
      // withContext reads --config from the root options: point it at the example's file.
      const root = (() => {
        let r: Command = cmd;
        while (r.parent) r = r.parent;
        return r;
      })();
      root.setOptionValue('config', demoConfigPath(cmd));
      return withContext(cmd, (ctx) => runDemo(ctx, opts));
    });
}

async function runDemo(ctx: CliContext, opts: DemoOptions): Promise<number> {
  const config = ctx.config;
  // Loaded on demand: no other command needs the example's code.
  const { seedAshare } = await import('../../examples/ashare.js');
  ctx.log.info(`seeding the A-share example (${opts.stocks} stocks × ${opts.days} days)`);
  await seedAshare(ctx.db, { stocks: opts.stocks, days: opts.days });
  const results = await runViews(
    ctx.db,
    config,
    config.views.map((v) => v.view),
    {
      overrides: { trigger: 'demo' },
      alerting: ctx.alerting,
      checkStep: ctx.checkStep,
      log: ctx.log,
    },
  );
  if (Object.keys(config.notify.channels).length) {
    // Deliver what the run queued (the console channel prints it), as `mvwatch worker --once` would.
    const { startWorker } = await import('../../jobs/worker.js');
    const worker = await startWorker(ctx.db, config, { once: true, log: ctx.log, alerting: ctx.alerting });
    await worker.done;
  }
  const status = await Promise.all(config.views.map((v) => ctx.monitor.getLatestRefreshStatus(v.view)));
  const alerts = await ctx.alerting.getAlertHistory({ status: 'firing', limit: 50 });
  ctx.print({ refreshes: results.map((r) => r.refresh), status, alerts }, () =>
    [
      'Refreshes:',
      ...results.map((r) => refreshLines(r.refresh)),
      '',
      'Firing alerts:',
      alertRows(alerts),
    ].join('\n'),
  );
  return results.some((r) => r.status === 'failed') ? 1 : 0;
}
