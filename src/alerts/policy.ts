/** How an incident escalates. */
export interface EscalationPolicy {
  /**
   * Consecutive failed refreshes (occurrences of one refresh incident) that raise it to
   * `critical`. Default 3; 0 turns escalation by count off.
   */
  consecutiveFailures: number;
}

/** Defaults of `alerts.escalation` (top level and per view). */
export const DEFAULT_ESCALATION: Readonly<EscalationPolicy> = Object.freeze({
  // Three in a row rules out a one-off lock conflict or a deploy window.
  consecutiveFailures: 3,
});

/** Escalation settings: a global policy and per-view overrides (keys are canonical view names). */
export interface EscalationOptions {
  /** Applies to every view without an override (default {@link DEFAULT_ESCALATION}). */
  escalation?: Partial<EscalationPolicy>;
  /** Per-view overrides, merged over the global policy. */
  views?: Readonly<Record<string, { escalation?: Partial<EscalationPolicy> }>>;
}

/** The policy of `view`: its override over the global policy over the defaults. */
export function policyFor(options: EscalationOptions, view: string): EscalationPolicy {
  return {
    ...DEFAULT_ESCALATION,
    ...stripUndefined(options.escalation),
    ...stripUndefined(options.views?.[view]?.escalation),
  };
}

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
