/**
 * The machine-readable body of a notification: the webhook body, the AMQP and NATS message, and
 * (compacted) the pg_notify payload. Receivers parse this, so its fields only ever grow.
 */
import { renderNotification } from './templates/index.js';
import type { Locale } from './templates/strings.js';
import type { Notification, NotifiedAlert } from './types.js';

/** Version of the body's shape, bumped only on an incompatible change. */
export const PAYLOAD_VERSION = '1';

/** The JSON body sent to webhooks and message queues. */
export interface NotificationPayload {
  version: string;
  /** Idempotency key, identical on every retry. */
  id: string;
  groupKey: string;
  transition: Notification['transition'];
  /** `firing` while any alert fires, else `resolved`. */
  status: 'firing' | 'resolved';
  /** The view when every alert is on one view, else null. */
  view: string | null;
  /** Labels shared by every alert. */
  labels: Record<string, string>;
  groupLabels: Record<string, string>;
  /** The rendered title and plain text, for receivers that just display it. */
  title: string;
  text: string;
  dashboardUrl: string | null;
  createdAt: string;
  /** The incidents, each with its view's labels. */
  incidents: NotifiedAlert[];
}

/** Builds the full payload of a notification. */
export function buildPayload(n: Notification, options: { locale?: Locale } = {}): NotificationPayload {
  const rendered = renderNotification(n, options);
  const views = new Set(n.alerts.map((a) => a.view));
  return {
    version: PAYLOAD_VERSION,
    id: n.id,
    groupKey: n.groupKey,
    transition: n.transition,
    status: n.alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    view: views.size === 1 ? ([...views][0] ?? null) : null,
    labels: commonLabels(n.alerts),
    groupLabels: n.groupLabels,
    title: rendered.title,
    text: rendered.text,
    dashboardUrl: n.dashboardUrl ?? null,
    createdAt: n.createdAt,
    incidents: n.alerts,
  };
}

/** The labels every alert carries with the same value. */
export function commonLabels(alerts: readonly NotifiedAlert[]): Record<string, string> {
  const [first, ...rest] = alerts;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first.labels ?? {})) {
    if (rest.every((a) => a.labels?.[k] === v)) out[k] = v;
  }
  return out;
}

/** One alert in the compact payload. */
interface CompactAlert {
  id: number;
  view: string;
  type: string;
  severity: string;
  status: string;
  message: string;
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  details?: Record<string, unknown>;
  labels?: Record<string, string>;
}

/** Longest alert message kept once messages must be cut. */
const SHORT_MESSAGE = 200;

/**
 * A JSON payload of at most `maxBytes` UTF-8 bytes, for PostgreSQL NOTIFY. Shrinks in steps until it
 * fits: full → without details and labels → messages cut to 200 characters → fewer alerts (counted
 * in `omitted`) → identifiers only. `truncated: true` tells the listener to read the rest from the
 * alerts table. Never fails on size.
 */
export function compactPayload(n: Notification, maxBytes: number): string {
  const base = {
    v: PAYLOAD_VERSION,
    id: n.id,
    groupKey: n.groupKey,
    transition: n.transition,
    createdAt: n.createdAt,
    dashboardUrl: n.dashboardUrl,
  };
  const full: CompactAlert[] = n.alerts.map((a) => ({
    id: a.id,
    view: a.view,
    type: a.type,
    severity: a.severity,
    status: a.status,
    message: a.message,
    occurrences: a.occurrences,
    firstSeenAt: a.firstSeenAt,
    lastSeenAt: a.lastSeenAt,
    details: a.details,
    labels: a.labels,
  }));
  const fits = (s: string) => Buffer.byteLength(s, 'utf8') <= maxBytes;
  const attempt = (alerts: CompactAlert[], truncated: boolean) =>
    JSON.stringify({
      ...base,
      count: n.alerts.length,
      alerts,
      ...(truncated ? { truncated: true, omitted: n.alerts.length - alerts.length } : {}),
    });

  let out = attempt(full, false);
  if (fits(out)) return out;
  const lean = full.map(({ details: _d, labels: _l, ...rest }) => rest);
  out = attempt(lean, true);
  if (fits(out)) return out;
  const short = lean.map((a) => ({ ...a, message: cut(a.message, SHORT_MESSAGE) }));
  out = attempt(short, true);
  if (fits(out)) return out;
  // Halve the list until it fits: log2(n) steps even for an alert storm of thousands.
  for (let keep = Math.floor(short.length / 2); keep >= 1; keep = Math.floor(keep / 2)) {
    out = attempt(short.slice(0, keep), true);
    if (fits(out)) return out;
  }
  out = JSON.stringify({
    v: PAYLOAD_VERSION,
    id: n.id,
    transition: n.transition,
    count: n.alerts.length,
    // 100 ids of up to 19 digits stay under 2 KB, far below any sensible limit.
    alertIds: n.alerts.slice(0, 100).map((a) => a.id),
    truncated: true,
  });
  if (fits(out)) return out;
  return JSON.stringify({
    v: PAYLOAD_VERSION,
    id: cut(n.id, 200),
    transition: n.transition,
    truncated: true,
  });
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
