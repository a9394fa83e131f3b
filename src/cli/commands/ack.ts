import type { Command } from 'commander';
import { withContext } from '../context.js';
import { alertId } from '../parse.js';

export function register(program: Command): void {
  program
    .command('ack')
    .description('acknowledge an alert')
    .argument('<alertId>', 'the alert id (see mvwatch alerts)', alertId)
    .requiredOption('--by <name>', 'who acknowledges')
    .option('--note <text>', 'a note kept with the acknowledgement', '')
    .action((id: number, opts: { by: string; note: string }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const alert = await ctx.alerting.acknowledgeAlert(id, opts.by, opts.note);
        ctx.print(
          alert,
          () =>
            `Alert #${alert.id} (${alert.type} on ${alert.view}) acknowledged by ${alert.acknowledgedBy}.`,
        );
        return 0;
      }),
    );
}
