import type { Command } from 'commander';
import { migrate } from '../../db/migrate.js';
import { withContext } from '../context.js';

export function register(program: Command): void {
  program
    .command('init')
    .description('apply migrations to the state schema and print its version')
    .action((_opts, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        // withContext has migrated already; a second call reports the (now current) version.
        const { version } = await migrate(ctx.db);
        ctx.print(
          { schema: ctx.db.schema, version },
          () => `Schema ${ctx.db.schema} is at version ${version}.`,
        );
        return 0;
      }),
    );
}
