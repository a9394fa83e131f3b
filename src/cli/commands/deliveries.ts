import type { Command } from 'commander';
import { deliveryOptions } from '../../notify/delivery-options.js';
import { listDeliveries } from '../../notify/queries/deliveries.js';
import { retryDelivery } from '../../notify/retry.js';
import { withContext } from '../context.js';
import { table } from '../format.js';
import { idOf, positiveInt } from '../parse.js';

export function register(program: Command): void {
  const deliveries = program
    .command('deliveries')
    .description('notification delivery log, newest first (subcommands: retry)')
    .option('--failed', 'only deliveries that failed for good (failed or dead)')
    .option('--channel <name>', 'only this channel')
    .option('--limit <n>', 'how many', positiveInt, 50)
    .action((opts: { failed?: boolean; channel?: string; limit: number }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const list = await listDeliveries({ client: ctx.db.pool, s: ctx.db.s }, opts);
        ctx.print(list, () =>
          list.length === 0
            ? 'No deliveries.'
            : table(
                list.map((d) => [
                  `#${d.id}`,
                  d.createdAt.slice(0, 19).replace('T', ' '),
                  d.channel,
                  d.status,
                  `${d.attempts}/${d.maxAttempts}`,
                  d.lastStatusCode === null ? '-' : String(d.lastStatusCode),
                  d.alertIds.map((id) => `#${id}`).join(' '),
                  d.lastError ?? '',
                ]),
                ['ID', 'CREATED (UTC)', 'CHANNEL', 'STATUS', 'ATTEMPTS', 'HTTP', 'ALERTS', 'LAST ERROR'],
              ),
        );
        return 0;
      }),
    );

  deliveries
    .command('retry')
    .description('send a failed or dead delivery again, with a fresh series of attempts')
    .argument('<id>', 'the delivery id (see mvwatch deliveries)', idOf('delivery'))
    .action((id: number, _opts: unknown, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const d = await retryDelivery(ctx.db, deliveryOptions(ctx.config.notify), id);
        ctx.print(d, () => `Delivery #${d.id} to ${d.channel} is queued again; a running worker sends it.`);
        return 0;
      }),
    );
}
