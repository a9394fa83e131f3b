import type { Db } from '../db/db.js';
import {
  lockFingerprints,
  readLifecycleState,
  silencedFiring,
  type Tx,
} from '../db/queries/alert-incidents.js';
import { publicAlert } from '../db/queries/alerts.js';
import type { Alert } from '../types.js';
import { commitSteps } from './apply.js';
import type { TransitionHook } from './events.js';
import type { PlanStep } from './plan.js';
import type { EscalationPolicy } from './policy.js';
import { findSilence } from './silences.js';
import { transition } from './transition.js';

/**
 * Firing incidents recorded silenced that no active silence matches any more: marks them
 * unsilenced (under their fingerprints' locks, re-checked after locking) and hands each to
 * `hook` as `firing`, in the same transaction. Returns the incidents released.
 */
export async function releaseEndedSilences(
  db: Db,
  policyFor: (view: string) => EscalationPolicy,
  hook?: TransitionHook,
): Promise<Alert[]> {
  const candidates = await silencedFiring({ client: db.pool, s: db.s });
  if (!candidates.length) return [];
  const fingerprints = candidates.map((i) => i.fingerprint);
  return db.transaction(async (client) => {
    const tx: Tx = { client, s: db.s };
    const now = await lockFingerprints(tx, fingerprints);
    const state = await readLifecycleState(tx, fingerprints, [], [], now);
    const steps: PlanStep[] = [];
    for (const i of state.firing) {
      if (findSilence(state.silences, i, now)) continue;
      const out = transition(i, { kind: 'unsilence' }, policyFor(i.view), now);
      if (out.kind === 'write')
        steps.push({ incident: out.next, isNew: false, event: out.event, transition: out.transition });
    }
    await commitSteps(tx, steps, now, hook);
    return steps.map((s) => publicAlert(s.incident));
  });
}
