import type { AlertTransition } from './events.js';
import { fingerprint } from './fingerprint.js';
import { findInhibitor, REFRESH_FAILURE_TYPES } from './inhibit.js';
import type { Signal } from './observations.js';
import type { EscalationPolicy } from './policy.js';
import { findSilence, type Silence } from './silences.js';
import { type EventDraft, type Incident, type TransitionInput, transition } from './transition.js';

/** Everything a batch is decided from (read under the fingerprints' locks). */
export interface PlanContext {
  now: Date;
  /** Firing incidents by fingerprint. */
  firing: ReadonlyMap<string, Incident>;
  silences: readonly Silence[];
  policyFor: (view: string) => EscalationPolicy;
  /** Upstream views of a view, nearest first. */
  upstreamOf: (view: string) => readonly string[];
  /** Firing refresh-failure incidents by view. */
  firingRefreshByView: ReadonlyMap<string, number>;
}

/** One transition of one incident, in the order they happened. */
export interface PlanStep {
  incident: Incident;
  isNew: boolean;
  event: EventDraft;
  transition?: AlertTransition;
}

export interface Plan {
  steps: PlanStep[];
  /** Per group, the incidents its failing signals raised or updated (in signal order). */
  raised: number[][];
}

/** Fingerprint of a signal (view + alert family + check). */
export function signalFingerprint(s: Pick<Signal, 'view' | 'type' | 'check'>): string {
  return fingerprint(s.view, s.type, s.check);
}

/**
 * Folds signals through {@link transition}, group by group (a group is one run of one view, so
 * its failed refresh inhibits its own checks), in order: a batch may open, update and resolve
 * the same fingerprint several times. New incidents get negative placeholder ids. Pure.
 */
export function planSignals(groups: readonly (readonly Signal[])[], ctx: PlanContext): Plan {
  const firing = new Map(ctx.firing);
  const refreshByView = new Map(ctx.firingRefreshByView);
  const steps: PlanStep[] = [];
  const raised: number[][] = [];
  let placeholder = -1;
  for (const group of groups) {
    const ids: number[] = [];
    let refreshIncident: number | null = null;
    for (const s of group) {
      const fp = signalFingerprint(s);
      const current = firing.get(fp) ?? null;
      const policy = ctx.policyFor(s.view);
      let outcome = transition(current, inputOf(s, fp, false, null), policy, ctx.now, placeholder);
      if (s.condition === 'failing' && outcome.kind === 'write') {
        const inhibitedBy = findInhibitor(s, {
          refreshIncident,
          upstream: ctx.upstreamOf(s.view),
          firingRefreshByView: refreshByView,
        });
        // Silences match the severity the occurrence ends at, so decide after the transition.
        const { next } = outcome;
        const silenced =
          findSilence(
            ctx.silences,
            { view: s.view, type: next.type, severity: next.severity, labels: s.labels },
            ctx.now,
          ) !== undefined;
        if (silenced || inhibitedBy !== null)
          outcome = transition(current, inputOf(s, fp, silenced, inhibitedBy), policy, ctx.now, placeholder);
      }
      if (outcome.kind !== 'write') continue;
      const { next } = outcome;
      if (outcome.isNew) placeholder--;
      if (next.status === 'firing') firing.set(fp, next);
      else firing.delete(fp);
      if (REFRESH_FAILURE_TYPES.includes(next.type)) {
        if (next.status === 'firing') refreshByView.set(next.view, next.id);
        else if (refreshByView.get(next.view) === next.id) refreshByView.delete(next.view);
      }
      if (s.condition === 'failing') {
        ids.push(next.id);
        if (REFRESH_FAILURE_TYPES.includes(s.type)) refreshIncident = next.id;
      }
      steps.push({
        incident: next,
        isNew: outcome.isNew,
        event: outcome.event,
        ...(outcome.transition ? { transition: outcome.transition } : {}),
      });
    }
    raised.push(ids);
  }
  return { steps, raised };
}

function inputOf(s: Signal, fp: string, silenced: boolean, inhibitedBy: number | null): TransitionInput {
  if (s.condition === 'ok') return { kind: 'ok', message: s.message, runId: s.runId, labels: s.labels };
  const { condition: _, ...observed } = s;
  return { ...observed, kind: 'failing', fingerprint: fp, silenced, inhibitedBy };
}
