import type { Command } from 'commander';
import { listMetadata, neverRefreshed, type ViewStatus } from '../../db/queries/metadata.js';
import { withContext } from '../context.js';
import { count, table } from '../format.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('latest state per view (never_refreshed when mvwatch has no record)')
    .argument('[view]', 'one view (default: every configured or recorded view)')
    .action((view: string | undefined, _opts, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        if (view) {
          const s = await ctx.monitor.getLatestRefreshStatus(view);
          ctx.print(s, () => render([s]));
          return 0;
        }
        const recorded = new Map((await listMetadata(ctx.db)).map((s) => [s.view, s]));
        for (const v of ctx.config.views)
          if (!recorded.has(v.view)) recorded.set(v.view, neverRefreshed(v.view, v.name.schema));
        const all = [...recorded.values()].sort((a, b) => a.view.localeCompare(b.view));
        ctx.print(all, () => (all.length ? render(all) : 'No views configured or refreshed yet.'));
        return 0;
      }),
    );
}

function render(rows: ViewStatus[]): string {
  return table(
    rows.map((s) => [
      s.view,
      s.status,
      s.lastRefreshTime?.slice(0, 19).replace('T', ' ') ?? '-',
      count(s.rowCount),
      s.durationSeconds == null ? '-' : `${s.durationSeconds.toFixed(3)} s`,
      s.strategy ?? '-',
      s.errorMessage ?? '',
    ]),
    ['VIEW', 'STATUS', 'LAST REFRESH (UTC)', 'ROWS', 'DURATION', 'STRATEGY', 'ERROR'],
  );
}
