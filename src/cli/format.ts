import type { Alert, CheckResult, RefreshResult } from '../types.js';

/** Plain-text helpers for human output. No colours: output is often piped into logs. */

/** Left-aligned columns with a header row, two spaces apart. */
export function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((c, i) => (c ?? '').padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A duration for people: `45 ms`, `1.25 s`. */
export function ms(value: number | null | undefined): string {
  if (value == null) return '-';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

/** A count with thousands separators; `-` when unknown. */
export function count(value: number | null | undefined): string {
  return value == null ? '-' : value.toLocaleString('en-US');
}

const MARK: Record<string, string> = {
  success: 'ok  ',
  failed: 'FAIL',
  skipped: 'skip',
  pass: 'pass',
  warning: 'WARN',
  error: 'ERR ',
};

/** One check result as an indented line under its view. */
export function checkLine(c: CheckResult): string {
  return `    ${MARK[c.status] ?? c.status} ${c.check}: ${c.message}`;
}

/** A refresh result with its fallback, error, checks and alerts, one per line. */
export function refreshLines(r: RefreshResult): string {
  const rows = r.rowCount == null ? '' : `  ${count(r.rowCount)} rows`;
  const head = `${MARK[r.status]} ${r.view}  ${r.usedStrategy ?? r.strategy}${rows}  ${ms(r.durationMs)}`;
  const lines = [head];
  if (r.fallback) lines.push(`    fell back to full: ${r.fallbackReason}`);
  if (r.status === 'skipped') lines.push('    another refresh of this view is running');
  if (r.error)
    lines.push(
      `    ${r.error.kind}${r.error.sqlstate ? ` (SQLSTATE ${r.error.sqlstate})` : ''}: ${r.error.message}`,
    );
  for (const c of r.checks ?? []) lines.push(checkLine(c));
  if (r.alerts?.length) lines.push(`    alerts: ${r.alerts.map((a) => `#${a}`).join(', ')}`);
  return lines.join('\n');
}

/** Alerts as a table, newest first. */
export function alertRows(alerts: Alert[]): string {
  if (alerts.length === 0) return 'No alerts.';
  return table(
    alerts.map((a) => [
      `#${a.id}`,
      a.severity,
      a.status,
      a.type,
      a.view,
      String(a.occurrences),
      a.acknowledged ? `ack:${a.acknowledgedBy}` : '',
      alertFlags(a),
      a.lastSeenAt.slice(0, 19).replace('T', ' '),
      a.message.length > 80 ? `${a.message.slice(0, 79)}…` : a.message,
    ]),
    ['ID', 'SEVERITY', 'STATUS', 'TYPE', 'VIEW', 'SEEN', 'ACK', 'FLAGS', 'LAST SEEN (UTC)', 'MESSAGE'],
  );
}

/** `silenced`, `inhibited:#12`: why an alert was recorded but not notified. */
export function alertFlags(a: Alert): string {
  return [a.silenced ? 'silenced' : '', a.inhibitedBy ? `inhibited:#${a.inhibitedBy}` : '']
    .filter(Boolean)
    .join(',');
}
