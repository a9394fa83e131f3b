/**
 * Routing (Alertmanager's route tree, flattened): ordered rules, first match wins unless the rule
 * says `continue`; each match names its channels and how alerts are grouped. Pure.
 */
import { createHash } from 'node:crypto';
import { matchValue } from '../alerts/silences.js';
import { formatQualified, parseQualifiedName } from '../db/identifiers.js';
import type { AlertSeverity } from '../types.js';
import type { NotifyConfig } from './config.js';
import { NOTIFY_DEFAULTS, type RouteConfig } from './route-config.js';

/** A route with every default applied. */
export interface Route {
  /** Stable identity: the route's `name`, else a hash of its matchers, channels and grouping. */
  key: string;
  severity?: readonly AlertSeverity[];
  type?: readonly string[];
  /** Canonical view names and globs. */
  view?: readonly string[];
  labels?: Readonly<Record<string, string>>;
  channels: readonly string[];
  continue: boolean;
  groupBy: readonly string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  sendResolved: boolean;
  fallback?: string;
  locale: 'en' | 'zh';
}

/** What a route matches against: the incident's identity at this transition. */
export interface RouteTarget {
  view: string;
  type: string;
  severity: AlertSeverity;
  labels: Readonly<Record<string, string>>;
}

/** The `groupBy` entry that puts every incident in its own group (Alertmanager's `...`). */
export const GROUP_BY_ALL = '...';

/**
 * Routes of the configuration, defaults applied. With channels but no routes, one implicit route
 * (`default`) sends everything to every channel: configuring a channel is enough to hear from it.
 */
export function resolveRoutes(notify: Pick<NotifyConfig, 'channels' | 'routes'>): Route[] {
  if (!notify.routes.length) {
    const channels = Object.keys(notify.channels);
    return channels.length ? [resolveRoute({ name: 'default', channels, continue: false })] : [];
  }
  return notify.routes.map(resolveRoute);
}

function resolveRoute(r: RouteConfig): Route {
  const view = r.view?.map(canonicalOrGlob);
  const groupBy = r.groupBy ?? NOTIFY_DEFAULTS.groupBy;
  const identity = {
    severity: r.severity,
    type: r.type,
    view,
    labels: r.labels,
    channels: r.channels,
    groupBy,
  };
  return {
    key:
      r.name ?? `route-${createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 10)}`,
    ...(r.severity ? { severity: r.severity as AlertSeverity[] } : {}),
    ...(r.type ? { type: r.type } : {}),
    ...(view ? { view } : {}),
    ...(r.labels ? { labels: r.labels } : {}),
    channels: r.channels,
    continue: r.continue,
    groupBy,
    groupWaitMs: r.groupWait ?? NOTIFY_DEFAULTS.groupWaitMs,
    groupIntervalMs: r.groupInterval ?? NOTIFY_DEFAULTS.groupIntervalMs,
    repeatIntervalMs: r.repeatInterval ?? NOTIFY_DEFAULTS.repeatIntervalMs,
    sendResolved: r.sendResolved ?? NOTIFY_DEFAULTS.sendResolved,
    ...(r.fallback ? { fallback: r.fallback } : {}),
    locale: r.locale ?? NOTIFY_DEFAULTS.locale,
  };
}

/** `sales_mv` → `public.sales_mv` so it equals the stored view name; globs stay as written. */
function canonicalOrGlob(v: string): string {
  if (/[*?]/.test(v)) return v;
  try {
    return formatQualified(parseQualifiedName(v));
  } catch {
    // An unparsable name can never equal a stored view: leave it, it simply matches nothing.
    return v;
  }
}

/** True when every matcher of `route` matches `t`. */
export function matchesRoute(route: Route, t: RouteTarget): boolean {
  if (route.severity && !route.severity.includes(t.severity)) return false;
  if (route.type && !route.type.some((p) => matchValue(p, t.type))) return false;
  if (route.view && !route.view.some((p) => matchValue(p, t.view))) return false;
  for (const [k, p] of Object.entries(route.labels ?? {})) {
    const actual = t.labels[k];
    if (actual === undefined || !matchValue(p, actual)) return false;
  }
  return true;
}

/** The routes `t` goes to, in order: the first match, and further matches while `continue` is set. */
export function routesFor(routes: readonly Route[], t: RouteTarget): Route[] {
  const out: Route[] = [];
  for (const r of routes) {
    if (!matchesRoute(r, t)) continue;
    out.push(r);
    if (!r.continue) break;
  }
  return out;
}

/** The aggregation group of an incident under a route. */
export interface GroupRef {
  /** `route:{view="public.sales_mv"}`: unique across routes, stable across processes. */
  key: string;
  /** groupBy name → value. */
  labels: Record<string, string>;
}

/**
 * The group of incident `alertId` under `route`. `view`, `type` and `severity` are the incident's
 * own; `labels.x` (or a bare `x`) its view's label, empty when absent; `...` its id.
 */
export function groupOf(route: Route, alertId: number, t: RouteTarget): GroupRef {
  const labels: Record<string, string> = {};
  for (const g of route.groupBy) {
    if (g === GROUP_BY_ALL) labels.alert = String(alertId);
    else if (g === 'view' || g === 'type' || g === 'severity') labels[g] = t[g];
    else {
      const name = g.startsWith('labels.') ? g.slice('labels.'.length) : g;
      labels[name] = t.labels[name] ?? '';
    }
  }
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return { key: `${route.key}:{${body}}`, labels };
}
