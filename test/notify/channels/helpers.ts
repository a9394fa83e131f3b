/** Shared pieces of the channel tests: sample notifications and a real local HTTP receiver. */
import type { ServerResponse } from 'node:http';
import type { Notification, NotifiedAlert } from '../../../src/notify/types.js';

/** A firing alert on analytics.sector_daily_mv; override any field. */
export function sampleAlert(overrides: Partial<NotifiedAlert> = {}): NotifiedAlert {
  return {
    id: 42,
    view: 'analytics.sector_daily_mv',
    type: 'refresh_failed',
    severity: 'error',
    status: 'firing',
    message: 'relation "raw.trades" does not exist',
    details: { sqlstate: '42P01' },
    occurrences: 3,
    firstSeenAt: '2024-05-01T08:00:00.000Z',
    lastSeenAt: '2024-05-01T08:30:00.000Z',
    resolvedAt: null,
    silenced: false,
    acknowledged: false,
    acknowledgedBy: null,
    acknowledgedAt: null,
    notes: null,
    createdAt: '2024-05-01T08:00:00.000Z',
    labels: { team: 'quant' },
    ...overrides,
  };
}

/** A one-alert `firing` notification; override any field. */
export function sampleNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'ntf_01HZX3K9Q2',
    groupKey: 'default:{view="analytics.sector_daily_mv"}',
    transition: 'firing',
    alerts: [sampleAlert()],
    groupLabels: { view: 'analytics.sector_daily_mv' },
    locale: 'en',
    dashboardUrl: 'http://127.0.0.1:8787/#/alerts/42',
    createdAt: '2024-05-01T08:30:00.000Z',
    ...overrides,
  };
}

export { type Received, type Receiver, startReceiver } from '../../helpers/receiver.js';

/** Answers JSON with a status. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
