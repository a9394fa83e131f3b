/**
 * The inhibit and silence stages of the pipeline (Alertmanager's InhibitStage and SilenceStage),
 * plus acknowledgement: which transitions are recorded but never sent. Pure.
 */
import type { AlertTransitionEvent } from '../alerts/events.js';

/** Why a transition is not sent. */
export type SuppressReason = 'inhibited' | 'silenced' | 'acknowledged';

/**
 * The reason `e` must not be sent, or null when it may be. Inhibition first (a failing refresh
 * explains the alert), then silences, then acknowledgement: an acknowledged incident still
 * notifies when it escalates or resolves, only its repeats are quiet.
 */
export function suppressionOf(
  e: Pick<AlertTransitionEvent, 'transition' | 'silenced' | 'inhibited' | 'acknowledged'>,
): SuppressReason | null {
  if (e.inhibited) return 'inhibited';
  if (e.silenced) return 'silenced';
  if (e.acknowledged && e.transition === 'repeat') return 'acknowledged';
  return null;
}
