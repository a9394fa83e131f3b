import { type Command, InvalidArgumentError } from 'commander';
import type { Silence } from '../../alerts/silences.js';
import { ALERT_TYPES, SEVERITIES } from '../../types.js';
import { withContext } from '../context.js';
import { table } from '../format.js';
import { duration, idOf } from '../parse.js';

interface AddOptions {
  view?: string;
  type?: string;
  severity?: string;
  label: Record<string, string>;
  duration: number;
  by: string;
  comment: string;
}

/** `--label k=v`, repeatable, into one record. */
function label(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1)
    throw new InvalidArgumentError('expected name=value (value may be a glob).');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** A type or severity matcher: a known value, or a glob. */
function known(values: readonly string[]): (value: string) => string {
  return (value) => {
    if (/[*?]/.test(value) || values.includes(value)) return value;
    throw new InvalidArgumentError(`expected one of ${values.join(', ')}, or a glob such as refresh_*.`);
  };
}

function matchersText(s: Silence): string {
  const m = s.matchers;
  return [
    m.view !== undefined ? `view=${m.view}` : '',
    m.type !== undefined ? `type=${m.type}` : '',
    m.severity !== undefined ? `severity=${m.severity}` : '',
    ...Object.entries(m.labels ?? {}).map(([k, v]) => `${k}=${v}`),
  ]
    .filter(Boolean)
    .join(' ');
}

const utc = (iso: string) => iso.slice(0, 19).replace('T', ' ');

function silenceRows(list: Silence[]): string {
  if (list.length === 0) return 'No active silences.';
  return table(
    list.map((s) => [`#${s.id}`, matchersText(s), utc(s.startsAt), utc(s.endsAt), s.createdBy, s.comment]),
    ['ID', 'MATCHERS', 'STARTS (UTC)', 'ENDS (UTC)', 'BY', 'COMMENT'],
  );
}

export function register(program: Command): void {
  const silence = program
    .command('silence')
    .description('silences: matching alerts are recorded but not notified');

  silence
    .command('add')
    .description('silence alerts matching every given matcher (exact values or globs with * and ?)')
    .option('--view <view>', "view name or glob, e.g. 'analytics.*'")
    .option('--type <type>', 'alert type or glob', known(ALERT_TYPES))
    .option('--severity <severity>', 'severity or glob', known(SEVERITIES))
    .option('--label <name=value>', 'label matcher, repeatable', label, {})
    .requiredOption('--duration <duration>', 'how long, e.g. 2h', duration)
    .requiredOption('--by <name>', 'who silences')
    .requiredOption('--comment <text>', 'why (shown to everyone who wonders where the alerts went)')
    .action((opts: AddOptions, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const s = await ctx.alerting.createSilence({
          matchers: {
            ...(opts.view !== undefined ? { view: opts.view } : {}),
            ...(opts.type !== undefined ? { type: opts.type } : {}),
            ...(opts.severity !== undefined ? { severity: opts.severity } : {}),
            ...(Object.keys(opts.label).length ? { labels: opts.label } : {}),
          },
          durationMs: opts.duration,
          createdBy: opts.by,
          comment: opts.comment,
        });
        ctx.print(s, () => `Silence #${s.id} (${matchersText(s)}) until ${utc(s.endsAt)} UTC.`);
        return 0;
      }),
    );

  silence
    .command('list')
    .description('silences not yet ended, latest end first')
    .option('--all', 'include ended silences')
    .action((opts: { all?: boolean }, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const list = await ctx.alerting.listSilences({ all: opts.all });
        ctx.print(list, () => silenceRows(list));
        return 0;
      }),
    );

  silence
    .command('expire')
    .description('end a silence now; alerts it held back that still fire are notified by the server')
    .argument('<silenceId>', 'the silence id (see mvwatch silence list)', idOf('silence'))
    .action((id: number, _opts: unknown, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        // Incidents it held back are notified by the server's periodic releaseEndedSilences(),
        // which owns the notification hook; releasing here would mark them without notifying.
        const s = await ctx.alerting.expireSilence(id);
        ctx.print(s, () => `Silence #${s.id} ended at ${utc(s.endsAt)} UTC.`);
        return 0;
      }),
    );
}
