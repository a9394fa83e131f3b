/**
 * A Notification turned into words once, in the chosen language: every output format (text,
 * markdown, HTML, Slack blocks, Feishu cards) lays out this same model.
 */
import { type AlertSeverity, SEVERITIES } from '../../types.js';
import type { Notification, Transition } from '../types.js';
import { type Owners, ownersOf } from './owners.js';
import { formatTime, type Locale, type Strings, stringsFor } from './strings.js';

/** One alert of the message. */
export interface MessageItem {
  alertId: number;
  severity: AlertSeverity;
  /** `ERROR · Refresh failed · analytics.sector_daily_mv`. */
  heading: string;
  message: string;
  /** Label/value pairs: view, type, occurrences, first and last seen (resolved time when resolved). */
  facts: Array<[string, string]>;
}

/** Everything a format needs, already translated. */
export interface MessageModel {
  locale: Locale;
  transition: Transition;
  /** The highest severity among the alerts. */
  severity: AlertSeverity;
  /** One line, also the email subject: `[FIRING] ERROR Refresh failed: analytics.sector_daily_mv`. */
  title: string;
  /** `3 alerts on analytics.sector_daily_mv`. */
  summary: string;
  /** The first `maxAlerts` alerts, most severe first. */
  items: MessageItem[];
  /** How many alerts were left out of `items`; the `more` line says so. */
  omitted: number;
  /** `…and 4 more`, or '' when nothing was left out. */
  moreLine: string;
  link?: { label: string; url: string };
  owners: Owners;
  /** `Owners: alice, 13800000000`, or '' without owners. */
  ownersLine: string;
  /** The words, for formats that need more labels. */
  strings: Strings;
}

/** Options of buildModel. */
export interface ModelOptions {
  /** Overrides `notification.locale` (a channel may always speak one language). Default: the notification's. */
  locale?: Locale;
  /**
   * Alerts listed in full (default 10): an alert storm grouped into one message stays readable and
   * under every platform's size limit.
   */
  maxAlerts?: number;
}

/** Default of ModelOptions.maxAlerts. */
export const DEFAULT_MAX_ALERTS = 10;

/** Builds the translated model of a notification. */
export function buildModel(n: Notification, options: ModelOptions = {}): MessageModel {
  const locale: Locale = options.locale ?? (n.locale === 'zh' ? 'zh' : 'en');
  const s = stringsFor(locale);
  const maxAlerts = Math.max(1, options.maxAlerts ?? DEFAULT_MAX_ALERTS);
  const rank = (sev: AlertSeverity) => SEVERITIES.indexOf(sev);
  const sorted = [...n.alerts].sort((a, b) => rank(b.severity) - rank(a.severity) || a.id - b.id);
  const severity = sorted[0]?.severity ?? 'info';
  const views = [...new Set(n.alerts.map((a) => a.view))];
  const first = sorted[0];
  const title =
    n.alerts.length === 1 && first
      ? `${s.transition[n.transition]}${s.severity[severity]} ${s.type[first.type] ?? first.type}: ${first.view}`
      : `${s.transition[n.transition]}${s.severity[severity]} ${s.summary(n.alerts.length, views)}`;
  const items = sorted.slice(0, maxAlerts).map((a): MessageItem => {
    const facts: Array<[string, string]> = [
      [s.view, a.view],
      [s.alertType, a.type],
      [s.occurrences, String(a.occurrences)],
      [s.firstSeen, formatTime(a.firstSeenAt)],
      [s.lastSeen, formatTime(a.lastSeenAt)],
    ];
    if (a.status === 'resolved' && a.resolvedAt) facts.push([s.resolvedAt, formatTime(a.resolvedAt)]);
    return {
      alertId: a.id,
      severity: a.severity,
      heading: `${s.severity[a.severity]} · ${s.type[a.type] ?? a.type} · ${a.view}`,
      message: a.message,
      facts,
    };
  });
  const omitted = sorted.length - items.length;
  const owners = ownersOf(n.alerts);
  return {
    locale,
    transition: n.transition,
    severity,
    title,
    summary: s.summary(n.alerts.length, views),
    items,
    omitted,
    moreLine: omitted > 0 ? s.more(omitted) : '',
    ...(n.dashboardUrl ? { link: { label: s.dashboard, url: n.dashboardUrl } } : {}),
    owners,
    ownersLine: owners.all.length ? `${s.owners}: ${owners.all.join(', ')}` : '',
    strings: s,
  };
}
