/**
 * Aggregation groups and the dedup stage (Alertmanager's aggregation group and DedupStage), as
 * pure decisions over the state stored in PostgreSQL: what an incoming transition leaves pending,
 * when the group flushes, and what a flush sends. The store (queries/groups.ts) only reads and
 * writes; every rule is here, with its table-driven test.
 */
import type { Transition } from './types.js';

/** What the group remembers about one incident. */
export interface MemberState {
  /** The strongest transition not yet sent; null when nothing is new. */
  pending: Transition | null;
  /** When the incident was last part of a sent notification; null: never. */
  notifiedAt: Date | null;
  /** The incident's status in that notification. */
  notifiedStatus: 'firing' | 'resolved' | null;
}

/** The timing settings of the route a group belongs to. */
export interface GroupTiming {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  sendResolved: boolean;
}

/** Which transition a message leads with when it carries several: the most urgent. */
const URGENCY: Record<Transition, number> = { escalated: 3, firing: 2, repeat: 1, resolved: 0 };

/** The more urgent of two transitions (either may be null). */
export function stronger(a: Transition | null, b: Transition | null): Transition | null {
  if (a === null) return b;
  if (b === null) return a;
  return URGENCY[b] > URGENCY[a] ? b : a;
}

/**
 * What an incident has pending after transition `t` arrives (the dedup stage):
 * - `firing` / `escalated` are always news;
 * - `repeat` is news when the incident was never sent as firing (it was silenced or inhibited
 *   until now: it goes out as `firing`), or was last sent `repeatInterval` ago;
 * - `resolved` replaces whatever was pending when resolved messages are on (a flush drops it if
 *   the firing was never sent); with them off, it cancels a pending firing that never went out.
 */
export function nextPending(
  state: MemberState | undefined,
  t: Transition,
  timing: Pick<GroupTiming, 'repeatIntervalMs' | 'sendResolved'>,
  now: Date,
): Transition | null {
  const pending = state?.pending ?? null;
  switch (t) {
    case 'firing':
    case 'escalated':
      // A later firing after a pending resolved cannot happen (resolution ends an incident).
      return stronger(pending === 'resolved' ? null : pending, t);
    case 'repeat': {
      if (pending !== null) return pending;
      if (state?.notifiedStatus !== 'firing' || !state.notifiedAt) return 'firing';
      const due = state.notifiedAt.getTime() + timing.repeatIntervalMs <= now.getTime();
      return due ? 'repeat' : null;
    }
    case 'resolved':
      return timing.sendResolved ? 'resolved' : null;
  }
}

/**
 * When a group with something pending flushes. An already scheduled flush stands (a storm keeps
 * one date). Otherwise a group that is new, or quiet for a whole `groupInterval`, waits
 * `groupWait` (gathering a storm into its first message); an active group waits until
 * `groupInterval` after its last message (at most one message per interval).
 */
export function flushAt(
  group: { nextFlushAt: Date | null; lastFlushAt: Date | null },
  timing: Pick<GroupTiming, 'groupWaitMs' | 'groupIntervalMs'>,
  now: Date,
): Date {
  if (group.nextFlushAt) return group.nextFlushAt;
  const wait = new Date(now.getTime() + timing.groupWaitMs);
  if (!group.lastFlushAt) return wait;
  const tick = group.lastFlushAt.getTime() + timing.groupIntervalMs;
  return tick <= now.getTime() ? wait : new Date(Math.max(tick, wait.getTime()));
}

/** One member of a group at flush time. */
export interface FlushMember extends MemberState {
  alertId: number;
}

/** What a flush does. */
export interface FlushPlan {
  /** Members the message carries, in alert id order. */
  send: number[];
  /** Members whose pending news is dropped without a message (resolved before any firing went out). */
  drop: number[];
  /** What the message leads with; null when nothing is sent. */
  transition: Transition | null;
}

/**
 * Decides a flush (Alertmanager's "send if the firing or resolved set changed"): every member with
 * something pending is sent, except a resolution of an incident whose firing never went out
 * (nobody heard of it, so nobody needs the all-clear).
 */
export function planFlush(members: readonly FlushMember[]): FlushPlan {
  const send: number[] = [];
  const drop: number[] = [];
  let transition: Transition | null = null;
  for (const m of [...members].sort((a, b) => a.alertId - b.alertId)) {
    if (m.pending === null) continue;
    if (m.pending === 'resolved' && m.notifiedStatus !== 'firing') {
      drop.push(m.alertId);
      continue;
    }
    send.push(m.alertId);
    transition = stronger(transition, m.pending);
  }
  return { send, drop, transition };
}
