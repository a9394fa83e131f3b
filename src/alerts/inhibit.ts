import type { AlertType } from '../types.js';

/** Alert types of a failing refresh: the root causes that inhibit quality and freshness alerts. */
export const REFRESH_FAILURE_TYPES: readonly AlertType[] = ['refresh_failed', 'refresh_timeout'];

/**
 * Quality and freshness alerts are the ones a failing refresh explains: every alert a check
 * raised, and `stale_data`. Refresh failures and the gate's own alert are never inhibited.
 */
export function isInhibitable(a: { type: AlertType; check: string | null }): boolean {
  return a.check !== null || a.type === 'stale_data';
}

/**
 * Every view upstream of `view`, nearest first (breadth-first over `deps`, which maps a view to
 * the views it reads — see loadDependencies). Transitive: when A feeds B feeds C and A fails, B
 * and C both serve stale data.
 */
export function upstreamViews(view: string, deps: ReadonlyMap<string, readonly string[]>): string[] {
  const seen = new Set([view]);
  const out: string[] = [];
  const queue = [view];
  while (queue.length) {
    for (const u of deps.get(queue.shift()!) ?? []) {
      if (seen.has(u)) continue;
      seen.add(u);
      out.push(u);
      queue.push(u);
    }
  }
  return out;
}

/** What inhibition knows while one view's observations are folded. */
export interface InhibitionContext {
  /** The incident of this run's own failed refresh (not a gate block); null when it succeeded. */
  refreshIncident: number | null;
  /** Upstream views of this view, nearest first. */
  upstream: readonly string[];
  /** Firing refresh incidents by view (only upstream ones are consulted). */
  firingRefreshByView: ReadonlyMap<string, number>;
}

/**
 * The incident that inhibits an alert (Alertmanager's inhibit rule, with fixed rules): the same
 * run's failed refresh first, else the nearest upstream view with a firing refresh incident.
 * Null when nothing inhibits it.
 */
export function findInhibitor(
  a: { type: AlertType; check: string | null },
  ctx: InhibitionContext,
): number | null {
  if (!isInhibitable(a)) return null;
  if (ctx.refreshIncident !== null) return ctx.refreshIncident;
  for (const u of ctx.upstream) {
    const id = ctx.firingRefreshByView.get(u);
    if (id !== undefined) return id;
  }
  return null;
}
