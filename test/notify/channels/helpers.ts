/** Shared pieces of the channel tests: sample notifications and a real local HTTP receiver. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** One request as the receiver saw it. */
export interface Received {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A running receiver. */
export interface Receiver {
  /** `http://127.0.0.1:<port>`. */
  base: string;
  requests: Received[];
  close(): Promise<void>;
}

/**
 * Starts a real HTTP server on 127.0.0.1 (port chosen by the OS). `respond` answers each request;
 * by default 200 `{"code":0}`. A `respond` that never ends the response simulates a hung receiver.
 */
export async function startReceiver(
  respond: (req: Received, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0}');
  },
): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      respond(received, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Hung requests would keep the server open forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers JSON with a status. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
