import { type Db, prepared } from '../db/db.js';
import {
  lockFingerprints,
  readLifecycleState,
  type Tx,
  writeIncidents,
} from '../db/queries/alert-incidents.js';
import { publicAlert } from '../db/queries/alerts.js';
import type { AlertTransitionEvent, TransitionHook } from './events.js';
import { isInhibitable, REFRESH_FAILURE_TYPES, upstreamViews } from './inhibit.js';
import type { Signal } from './observations.js';
import { type PlanStep, planSignals, signalFingerprint } from './plan.js';
import type { EscalationPolicy } from './policy.js';
import type { Incident } from './transition.js';

/** How signals become incidents. */
export interface ApplyOptions {
  policyFor: (view: string) => EscalationPolicy;
  /** View → upstream views (cached catalog read); asked only when something could be inhibited. */
  dependencies: () => Promise<ReadonlyMap<string, readonly string[]>>;
  onTransitions?: TransitionHook;
}

/**
 * Applies groups of signals (one group per run) in one transaction: lock the fingerprints,
 * read their firing incidents and the active silences, decide every transition (pure), write
 * incidents and log rows in one statement, hand the transitions to `onTransitions`, commit.
 * Returns, per group, the ids of the incidents its failing signals raised.
 */
export async function applySignals(
  db: Db,
  groups: readonly (readonly Signal[])[],
  options: ApplyOptions,
): Promise<number[][]> {
  const all = groups.flat();
  const fingerprints = all.map(signalFingerprint);
  if (!all.some((s) => s.condition === 'failing') && !(await anyFiring(db, fingerprints)))
    // A healthy run (all clear, nothing firing) writes nothing: skip the transaction and locks.
    return groups.map(() => []);

  const inhibitable = all.filter((s) => s.condition === 'failing' && isInhibitable(s));
  const deps = inhibitable.length ? await options.dependencies() : new Map<string, string[]>();
  const upstream = new Map<string, string[]>();
  const upstreamOf = (view: string) => {
    if (!upstream.has(view)) upstream.set(view, upstreamViews(view, deps));
    return upstream.get(view)!;
  };
  const upstreamAll = [...new Set(inhibitable.flatMap((s) => upstreamOf(s.view)))];

  return db.transaction(async (client) => {
    const tx: Tx = { client, s: db.s };
    const now = await lockFingerprints(tx, fingerprints);
    const state = await readLifecycleState(tx, fingerprints, upstreamAll, REFRESH_FAILURE_TYPES, now);
    const plan = planSignals(groups, {
      now,
      firing: new Map(state.firing.map((i) => [i.fingerprint, i])),
      silences: state.silences,
      policyFor: options.policyFor,
      upstreamOf,
      firingRefreshByView: new Map(state.firingRefresh.map((r) => [r.view, r.id])),
    });
    const ids = await commitSteps(tx, plan.steps, now, options.onTransitions);
    return plan.raised.map((list) => list.map((id) => ids.get(id) ?? id));
  });
}

async function anyFiring(db: Db, fingerprints: readonly string[]): Promise<boolean> {
  const { rows } = await db.query(
    // Asked after every healthy run: prepared, so it is planned once per connection.
    prepared(
      `select 1 from ${db.s}.materialized_views_alerts where status = 'firing' and fingerprint = any($1::text[]) limit 1`,
    ),
    [fingerprints],
  );
  return rows.length > 0;
}

/**
 * Writes the steps (each incident's last state, every log row) in one statement, then calls the
 * hook with one event per transition, inside the caller's transaction. Returns placeholder → id.
 */
export async function commitSteps(
  tx: Tx,
  steps: readonly PlanStep[],
  now: Date,
  hook?: TransitionHook,
): Promise<Map<number, number>> {
  if (!steps.length) return new Map();
  const last = new Map<number, { incident: Incident; isNew: boolean }>();
  for (const s of steps)
    last.set(s.incident.id, { incident: s.incident, isNew: last.get(s.incident.id)?.isNew ?? s.isNew });
  const ids = await writeIncidents(
    tx,
    [...last.values()],
    steps.map((s) => ({ ...s.event, alertId: s.incident.id })),
    now,
  );
  const real = (id: number | null) => (id === null ? null : (ids.get(id) ?? id));
  const events: AlertTransitionEvent[] = steps
    .filter((s) => s.transition)
    .map((s) => {
      const alert = publicAlert({
        ...s.incident,
        id: real(s.incident.id)!,
        inhibitedBy: real(s.incident.inhibitedBy),
      });
      return {
        alert,
        transition: s.transition!,
        labels: s.incident.labels,
        silenced: s.incident.silenced,
        inhibited: alert.inhibitedBy !== null,
        acknowledged: s.incident.acknowledged,
      };
    });
  if (hook && events.length) await hook(tx.client, events);
  return ids;
}
