import type { Command } from 'commander';
import { MvwatchError } from '../../errors.js';
import { createChannel } from '../../notify/channels/index.js';
import { syntheticNotification } from '../../notify/synthetic.js';
import { withContext } from '../context.js';
import { ms } from '../format.js';
import { oneOf } from '../parse.js';

export function register(program: Command): void {
  const notify = program.command('notify').description('notification tools (subcommands: test)');
  notify
    .command('test')
    .description('send a test notification through a configured channel and report the outcome')
    .argument('<channel>', 'a key of notify.channels')
    .option('--locale <locale>', 'en | zh', oneOf(['en', 'zh'] as const), 'en')
    .action((name: string, opts: { locale: 'en' | 'zh' }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const config = ctx.config.notify.channels[name];
        if (!config) {
          const known = Object.keys(ctx.config.notify.channels);
          throw new MvwatchError(
            'MVW_CHANNEL_NOT_CONFIGURED',
            `No channel named ${name} under notify.channels (${known.length ? `configured: ${known.join(', ')}` : 'none is configured'}).`,
          );
        }
        const channel = createChannel(name, config, { db: ctx.db });
        const notification = syntheticNotification({ locale: opts.locale });
        try {
          const result = await channel.send(notification);
          ctx.print({ channel: name, type: channel.type, notificationId: notification.id, ...result }, () =>
            result.ok
              ? `Test notification ${notification.id} delivered to ${name} (${channel.type}) in ${ms(result.latencyMs)}.`
              : `Test notification to ${name} (${channel.type}) failed${result.retry ? ' (a retry may help)' : ''}: ${result.error}`,
          );
          return result.ok ? 0 : 1;
        } finally {
          await channel.close?.();
        }
      }),
    );
}
