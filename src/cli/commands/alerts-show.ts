import type { Command } from 'commander';
import type { AlertEvent } from '../../alerts/events.js';
import type { Alert } from '../../types.js';
import { withContext } from '../context.js';
import { alertFlags, table } from '../format.js';
import { alertId } from '../parse.js';

const utc = (iso: string | null) => (iso ? iso.slice(0, 19).replace('T', ' ') : '-');

function incidentText(a: Alert, events: AlertEvent[]): string {
  const lines = [
    `Alert #${a.id}: ${a.type} on ${a.view}, ${a.severity}, ${a.status}`,
    `  ${a.message}`,
    `  occurrences ${a.occurrences}; first seen ${utc(a.firstSeenAt)}, last seen ${utc(a.lastSeenAt)}` +
      (a.resolvedAt ? `, resolved ${utc(a.resolvedAt)}` : '') +
      ' (UTC)',
  ];
  if (a.acknowledged)
    lines.push(
      `  acknowledged by ${a.acknowledgedBy} at ${utc(a.acknowledgedAt)}${a.notes ? `: ${a.notes}` : ''}`,
    );
  const flags = alertFlags(a);
  if (flags) lines.push(`  ${flags}`);
  lines.push(
    '',
    table(
      events.map((e) => [
        utc(e.createdAt),
        e.kind,
        e.severity,
        [e.silenced ? 'silenced' : '', e.inhibitedBy ? `inhibited:#${e.inhibitedBy}` : '']
          .filter(Boolean)
          .join(','),
        e.actor ?? '',
        e.runId ? `#${e.runId}` : '',
        e.message ?? '',
      ]),
      ['AT (UTC)', 'EVENT', 'SEVERITY', 'FLAGS', 'BY', 'RUN', 'MESSAGE'],
    ),
  );
  return lines.join('\n');
}

/** `mvwatch alerts show <id>`: the incident and its occurrence log (JSON: `{ alert, events }`). */
export function registerShow(alerts: Command): void {
  alerts
    .command('show')
    .description('one alert and its occurrence log')
    .argument('<alertId>', 'the alert id (see mvwatch alerts)', alertId)
    .action((id: number, _opts: unknown, cmd: Command) =>
      withContext(cmd, async (ctx) => {
        const alert = await ctx.alerting.getAlert(id);
        const events = await ctx.alerting.getAlertEvents(id);
        ctx.print({ alert, events }, () => incidentText(alert, events));
        return 0;
      }),
    );
}
