import { type Command, Option } from 'commander';
import { startWorker } from '../../jobs/worker.js';
import { withContext } from '../context.js';
import { durationOrZero } from '../parse.js';

export function register(program: Command): void {
  program
    .command('worker')
    .description('run queued jobs (notification deliveries) until stopped')
    .option('--once', 'drain the queue, then exit')
    .addOption(
      new Option(
        '--wait <duration>',
        'with --once: also wait for jobs due within this time (retries, grouped notifications); 0s: only what is due now',
      )
        .argParser(durationOrZero)
        .default(30_000, '30s'),
    )
    .action((opts: { once?: boolean; wait: number }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        if (!Object.keys(ctx.config.notify.channels).length)
          ctx.log.warn('no notify.channels are configured: the worker has nothing to deliver');
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          const worker = await startWorker(ctx.db, ctx.config, {
            signal: stop.signal,
            once: Boolean(opts.once),
            onceWaitMs: opts.wait,
            log: ctx.log,
            alerting: ctx.alerting,
          });
          ctx.log.info(opts.once ? 'worker draining due jobs' : 'worker running; stop with Ctrl-C', {
            pools: worker.poolIds,
          });
          await worker.done;
          ctx.print(
            { stopped: true, once: Boolean(opts.once), pools: worker.poolIds },
            () => 'Worker stopped.',
          );
          return 0;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      }),
    );
}
