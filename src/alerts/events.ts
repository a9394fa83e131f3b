import type pg from 'pg';
import type { Alert, AlertSeverity } from '../types.js';

/**
 * What happened to an incident that notifications may act on:
 * - `firing`: a new incident, or a silenced one whose silence ended while it still fires;
 * - `escalated`: its severity rose (notify even when acknowledged);
 * - `repeat`: another occurrence at the same severity (not re-notified when acknowledged);
 * - `resolved`: the condition cleared.
 */
export type AlertTransition = 'firing' | 'escalated' | 'resolved' | 'repeat';

/** One incident transition, handed to `onTransitions` inside the transaction that wrote it. */
export interface AlertTransitionEvent {
  /** The incident as stored after this transition. */
  alert: Alert;
  transition: AlertTransition;
  /** The view's labels (routing, owners). */
  labels: Record<string, string>;
  /** A silence matched: record, do not notify. */
  silenced: boolean;
  /** Another firing incident explains this one (`alert.inhibitedBy`): record, do not notify. */
  inhibited: boolean;
  /** Somebody acknowledged the incident: skip `repeat`, still send `escalated` and `resolved`. */
  acknowledged: boolean;
}

/**
 * Called with every transition of a write, on the client of the transaction that wrote the
 * incidents, before it commits: enqueue deliveries there and they exist exactly when the
 * incidents do. Throwing rolls the whole write back.
 */
export type TransitionHook = (client: pg.ClientBase, events: AlertTransitionEvent[]) => Promise<void>;

/** Kinds of rows in the occurrence log (`materialized_views_alert_events`). */
export type AlertEventKind =
  /** The condition was observed again (or first). */
  | 'occurrence'
  /** An occurrence that raised the severity. */
  | 'escalation'
  | 'resolution'
  | 'acknowledgement'
  | 'unacknowledgement'
  /** An occurrence recorded while a silence matched. */
  | 'silenced'
  /** An occurrence recorded while another incident inhibited it. */
  | 'inhibited'
  /** The silence of a still-firing incident ended. */
  | 'unsilenced';

/** One row of an incident's occurrence log. */
export interface AlertEvent {
  id: number;
  alertId: number;
  kind: AlertEventKind;
  /** The incident's severity after the event. */
  severity: AlertSeverity;
  message: string | null;
  details: Record<string, unknown>;
  silenced: boolean;
  inhibitedBy: number | null;
  /** Who acknowledged or unacknowledged; null for observed events. */
  actor: string | null;
  runId: number | null;
  createdAt: string;
}
