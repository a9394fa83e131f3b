import type { Command } from 'commander';
import { withContext } from '../context.js';
import { alertId } from '../parse.js';

export function register(program: Command): void {
  program
    .command('unack')
    .description('take an acknowledgement back (repeats are notified again)')
    .argument('<alertId>', 'the alert id (see mvwatch alerts)', alertId)
    .option('--by <name>', 'who takes it back (kept in the occurrence log)')
    .action((id: number, opts: { by?: string }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const alert = await ctx.alerting.unacknowledgeAlert(id, opts.by);
        ctx.print(
          alert,
          () => `Alert #${alert.id} (${alert.type} on ${alert.view}) is no longer acknowledged.`,
        );
        return 0;
      }),
    );
}
