import type { Alert, AlertSeverity, AlertType } from '../types.js';
import { SEVERITIES } from '../types.js';
import type { AlertEvent, AlertEventKind, AlertTransition } from './events.js';
import type { Signal } from './observations.js';
import type { EscalationPolicy } from './policy.js';

/** An incident as the lifecycle sees it: the public alert plus its identity and labels. */
export interface Incident extends Alert {
  fingerprint: string;
  /** The check that raised it; null for refresh and view-level freshness alerts. */
  check: string | null;
  labels: Record<string, string>;
  inhibitedBy: number | null;
}

/**
 * The condition of a fingerprint was observed: the run's signal, with what was decided about it
 * before the transition (its fingerprint, a matching silence — silences.ts — and the inhibiting
 * incident, inhibit.ts).
 */
export type FailingInput = Omit<Signal, 'condition' | 'runId'> & {
  kind: 'failing';
  fingerprint: string;
  silenced: boolean;
  /** null when not inhibited. */
  inhibitedBy: number | null;
  runId?: number | null;
};

/** What can happen to one fingerprint's incident. */
export type TransitionInput =
  | FailingInput
  /** The condition cleared (refresh succeeded, check passed, data fresh again). */
  | { kind: 'ok'; message?: string; runId?: number | null; labels?: Record<string, string> }
  | { kind: 'ack'; by: string; notes: string }
  | { kind: 'unack'; by?: string }
  /** Every silence that matched a firing incident has ended. */
  | { kind: 'unsilence' };

/** The log row a transition appends: an occurrence-log row before the database numbers it. */
export type EventDraft = Omit<AlertEvent, 'id' | 'alertId' | 'createdAt'>;

export type TransitionOutcome =
  /** Nothing to record (a clear condition with no firing incident, a repeated unack...). */
  | { kind: 'none' }
  | { kind: 'error'; code: 'MVW_ALERT_NOT_FOUND' | 'MVW_ALERT_NOT_FIRING'; message: string }
  | {
      kind: 'write';
      /** The incident after the transition. A new incident carries the `id` it was given. */
      next: Incident;
      isNew: boolean;
      event: EventDraft;
      /** What notifications see; absent for acknowledgements. */
      transition?: AlertTransition;
    };

/** Alert types whose consecutive occurrences escalate by {@link EscalationPolicy.consecutiveFailures}. */
export const COUNT_ESCALATED_TYPES: ReadonlySet<AlertType> = new Set(['refresh_failed', 'refresh_timeout']);

/** Past `errorAfter` × this, stale data is critical (issue 4: "past twice that"). */
export const STALE_CRITICAL_FACTOR = 2;

export function severityRank(s: AlertSeverity): number {
  return SEVERITIES.indexOf(s);
}

export function maxSeverity(...list: AlertSeverity[]): AlertSeverity {
  return list.reduce((a, b) => (severityRank(b) > severityRank(a) ? b : a));
}

/** Severity of stale data: `error` past `errorAfter`, `critical` past twice that, else `floor`. */
export function freshnessSeverity(ageMs: number, errorAfterMs: number, floor: AlertSeverity): AlertSeverity {
  if (ageMs > errorAfterMs * STALE_CRITICAL_FACTOR) return maxSeverity(floor, 'critical');
  if (ageMs > errorAfterMs) return maxSeverity(floor, 'error');
  return floor;
}

/**
 * The whole incident lifecycle as one pure function (open, update, escalate, resolve,
 * acknowledge, unacknowledge, silence ended). `current` is the fingerprint's firing incident,
 * or the incident an acknowledgement names (which may be resolved), or null. `newId` is the id
 * a newly opened incident gets. Severity never falls within an incident; a failure after
 * resolution opens a new one.
 */
export function transition(
  current: Incident | null,
  input: TransitionInput,
  policy: EscalationPolicy,
  now: Date,
  newId = 0,
): TransitionOutcome {
  const at = now.toISOString();
  const firing = current?.status === 'firing' ? current : null;
  switch (input.kind) {
    case 'failing':
      return firing ? update(firing, input, policy, at) : open(input, policy, at, newId);
    case 'ok':
      if (!firing) return { kind: 'none' };
      return write(
        // The view's current labels route the resolution, when the run knows them.
        { ...firing, status: 'resolved', resolvedAt: at, labels: nonEmpty(input.labels) ?? firing.labels },
        { kind: 'resolution', message: input.message ?? null, actor: null, runId: input.runId ?? null },
        'resolved',
      );
    case 'ack':
    case 'unack': {
      if (!current) return notFound();
      if (!firing)
        return {
          kind: 'error',
          code: 'MVW_ALERT_NOT_FIRING',
          message: `Alert #${current.id} was resolved at ${current.resolvedAt}, so there is nothing to ${input.kind === 'ack' ? 'acknowledge' : 'unacknowledge'}; a new failure opens a new alert.`,
        };
      if (input.kind === 'ack')
        return write(
          { ...firing, acknowledged: true, acknowledgedBy: input.by, acknowledgedAt: at, notes: input.notes },
          { kind: 'acknowledgement', message: input.notes || null, actor: input.by, runId: null },
        );
      if (!firing.acknowledged) return { kind: 'none' };
      return write(
        { ...firing, acknowledged: false, acknowledgedBy: null, acknowledgedAt: null },
        { kind: 'unacknowledgement', message: null, actor: input.by ?? null, runId: null },
      );
    }
    case 'unsilence':
      if (!firing?.silenced) return { kind: 'none' };
      return write(
        { ...firing, silenced: false },
        { kind: 'unsilenced', message: null, actor: null, runId: null },
        'firing',
      );
  }
}

function nonEmpty(labels: Record<string, string> | undefined): Record<string, string> | undefined {
  return labels && Object.keys(labels).length ? labels : undefined;
}

function notFound(): TransitionOutcome {
  return { kind: 'error', code: 'MVW_ALERT_NOT_FOUND', message: 'No such alert.' };
}

/** Severity an occurrence asks for: its own, raised by the freshness SLA and the failure count. */
function observedSeverity(input: FailingInput, occurrences: number, policy: EscalationPolicy): AlertSeverity {
  let s = input.severity;
  if (input.freshness) s = freshnessSeverity(input.freshness.ageMs, input.freshness.errorAfterMs, s);
  const n = policy.consecutiveFailures;
  if (n > 0 && occurrences >= n && COUNT_ESCALATED_TYPES.has(input.type)) s = 'critical';
  return s;
}

function isHidden(i: Pick<Incident, 'silenced' | 'inhibitedBy'>): boolean {
  return i.silenced || i.inhibitedBy !== null;
}

/** The log row of an occurrence; its kind names the most notable thing about it. */
function occurrenceEvent(input: FailingInput, escalated: boolean): EventParts {
  let kind: AlertEventKind = 'occurrence';
  if (escalated) kind = 'escalation';
  else if (input.silenced) kind = 'silenced';
  else if (input.inhibitedBy !== null) kind = 'inhibited';
  return { kind, message: input.message, details: input.details, actor: null, runId: input.runId ?? null };
}

function open(input: FailingInput, policy: EscalationPolicy, at: string, id: number): TransitionOutcome {
  const severity = observedSeverity(input, 1, policy);
  const next: Incident = {
    id,
    fingerprint: input.fingerprint,
    view: input.view,
    type: input.type,
    check: input.check,
    severity,
    status: 'firing',
    message: input.message,
    details: input.details,
    labels: input.labels,
    occurrences: 1,
    firstSeenAt: at,
    lastSeenAt: at,
    resolvedAt: null,
    silenced: input.silenced,
    inhibitedBy: input.inhibitedBy,
    acknowledged: false,
    acknowledgedBy: null,
    acknowledgedAt: null,
    notes: null,
    createdAt: at,
  };
  return write(next, occurrenceEvent(input, false), 'firing', true);
}

function update(cur: Incident, input: FailingInput, policy: EscalationPolicy, at: string): TransitionOutcome {
  const occurrences = cur.occurrences + 1;
  const severity = maxSeverity(cur.severity, observedSeverity(input, occurrences, policy));
  const escalated = severityRank(severity) > severityRank(cur.severity);
  const next: Incident = {
    ...cur,
    // The type follows the occurrence that set the severity (data_quality_warning → _error).
    type: escalated ? input.type : cur.type,
    severity,
    message: input.message,
    details: input.details,
    labels: input.labels,
    occurrences,
    lastSeenAt: at,
    silenced: input.silenced,
    inhibitedBy: input.inhibitedBy,
  };
  // Silenced or inhibited until now, so never notified: becoming visible is news, not a repeat.
  const surfaced = isHidden(cur) && !isHidden(next);
  return write(
    next,
    occurrenceEvent(input, escalated),
    escalated ? 'escalated' : surfaced ? 'firing' : 'repeat',
  );
}

/** What a transition records beyond the incident's own state. */
type EventParts = Pick<EventDraft, 'kind' | 'message' | 'actor' | 'runId'> & {
  details?: Record<string, unknown>;
};

function write(
  next: Incident,
  e: EventParts,
  transition?: AlertTransition,
  isNew = false,
): TransitionOutcome {
  return { kind: 'write', next, isNew, event: eventOf(next, e), ...(transition ? { transition } : {}) };
}

function eventOf(next: Incident, e: EventParts): EventDraft {
  return {
    kind: e.kind,
    severity: next.severity,
    message: e.message,
    // Only occurrences carry details: the log keeps what each run saw.
    details: e.details ?? {},
    silenced: next.silenced,
    inhibitedBy: next.inhibitedBy,
    actor: e.actor,
    runId: e.runId,
  };
}
