import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertEventKind, AlertTransition } from '../../src/alerts/events.js';
import { DEFAULT_ESCALATION, policyFor } from '../../src/alerts/policy.js';
import {
  type FailingInput,
  freshnessSeverity,
  type Incident,
  type TransitionInput,
  transition,
} from '../../src/alerts/transition.js';
import type { AlertSeverity, AlertType } from '../../src/types.js';

const T0 = '2025-01-01T00:00:00.000Z';
const NOW = new Date('2025-01-01T01:00:00.000Z');
const policy = DEFAULT_ESCALATION;

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 7,
    fingerprint: 'fp',
    view: 'public.v',
    type: 'refresh_failed',
    check: null,
    severity: 'error',
    status: 'firing',
    message: 'old',
    details: { old: true },
    labels: {},
    occurrences: 1,
    firstSeenAt: T0,
    lastSeenAt: T0,
    resolvedAt: null,
    silenced: false,
    inhibitedBy: null,
    acknowledged: false,
    acknowledgedBy: null,
    acknowledgedAt: null,
    notes: null,
    createdAt: T0,
    ...over,
  };
}

function failing(over: Partial<FailingInput> = {}): FailingInput {
  return {
    kind: 'failing',
    fingerprint: 'fp',
    view: 'public.v',
    type: 'refresh_failed',
    check: null,
    severity: 'error',
    message: 'new',
    details: { n: 1 },
    labels: { team: 'quant' },
    silenced: false,
    inhibitedBy: null,
    ...over,
  };
}

interface Row {
  name: string;
  current: Incident | null;
  input: TransitionInput;
  /** Expected outcome kind, and for writes the key fields. */
  want:
    | { kind: 'none' }
    | { kind: 'error'; code: string }
    | {
        kind: 'write';
        isNew: boolean;
        status: 'firing' | 'resolved';
        severity: AlertSeverity;
        occurrences: number;
        event: AlertEventKind;
        transition?: AlertTransition;
        type?: AlertType;
      };
}

const rows: Row[] = [
  {
    name: 'open: no incident, a failure',
    current: null,
    input: failing(),
    want: {
      kind: 'write',
      isNew: true,
      status: 'firing',
      severity: 'error',
      occurrences: 1,
      event: 'occurrence',
      transition: 'firing',
    },
  },
  {
    name: 'open: a resolved incident does not absorb a new failure',
    current: incident({ status: 'resolved', resolvedAt: T0, occurrences: 4 }),
    input: failing(),
    want: {
      kind: 'write',
      isNew: true,
      status: 'firing',
      severity: 'error',
      occurrences: 1,
      event: 'occurrence',
      transition: 'firing',
    },
  },
  {
    name: 'update: second failure repeats',
    current: incident(),
    input: failing(),
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'error',
      occurrences: 2,
      event: 'occurrence',
      transition: 'repeat',
    },
  },
  {
    name: 'escalate: third consecutive failure is critical',
    current: incident({ occurrences: 2 }),
    input: failing(),
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'critical',
      occurrences: 3,
      event: 'escalation',
      transition: 'escalated',
    },
  },
  {
    name: 'escalate: timeouts count too',
    current: incident({ type: 'refresh_timeout', occurrences: 2 }),
    input: failing({ type: 'refresh_timeout' }),
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'critical',
      occurrences: 3,
      event: 'escalation',
      transition: 'escalated',
    },
  },
  {
    name: 'update: already critical, the fourth is a repeat',
    current: incident({ occurrences: 3, severity: 'critical' }),
    input: failing(),
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'critical',
      occurrences: 4,
      event: 'occurrence',
      transition: 'repeat',
    },
  },
  {
    name: 'count escalation is for refresh failures only',
    current: incident({ type: 'null_values_detected', check: 'nulls', severity: 'warning', occurrences: 9 }),
    input: failing({ type: 'null_values_detected', check: 'nulls', severity: 'warning' }),
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'warning',
      occurrences: 10,
      event: 'occurrence',
      transition: 'repeat',
    },
  },
  {
    name: 'escalate: a check going from warning to error; the type follows',
    current: incident({ type: 'data_quality_warning', check: 'c', severity: 'warning' }),
    input: failing({ type: 'data_quality_error', check: 'c', severity: 'error' }),
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'error',
      occurrences: 2,
      event: 'escalation',
      transition: 'escalated',
      type: 'data_quality_error',
    },
  },
  {
    name: 'severity never falls within an incident',
    current: incident({ type: 'data_quality_error', check: 'c', severity: 'error' }),
    input: failing({ type: 'data_quality_warning', check: 'c', severity: 'warning' }),
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'error',
      occurrences: 2,
      event: 'occurrence',
      transition: 'repeat',
      type: 'data_quality_error',
    },
  },
  {
    name: 'stale past errorAfter is error',
    current: null,
    input: failing({
      type: 'stale_data',
      severity: 'warning',
      freshness: { ageMs: 3_001, errorAfterMs: 3_000 },
    }),
    want: {
      kind: 'write',
      isNew: true,
      status: 'firing',
      severity: 'error',
      occurrences: 1,
      event: 'occurrence',
      transition: 'firing',
    },
  },
  {
    name: 'stale past twice errorAfter escalates to critical',
    current: incident({ type: 'stale_data', severity: 'error' }),
    input: failing({
      type: 'stale_data',
      severity: 'warning',
      freshness: { ageMs: 6_001, errorAfterMs: 3_000 },
    }),
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'critical',
      occurrences: 2,
      event: 'escalation',
      transition: 'escalated',
    },
  },
  {
    name: 'a silenced occurrence is logged as silenced',
    current: incident(),
    input: failing({ silenced: true }),
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'error',
      occurrences: 2,
      event: 'silenced',
      transition: 'repeat',
    },
  },
  {
    name: 'an inhibited occurrence is logged as inhibited',
    current: null,
    input: failing({ type: 'null_values_detected', check: 'c', inhibitedBy: 3 }),
    want: {
      kind: 'write',
      isNew: true,
      status: 'firing',
      severity: 'error',
      occurrences: 1,
      event: 'inhibited',
      transition: 'firing',
    },
  },
  {
    name: 'a silenced incident that is no longer silenced surfaces as firing',
    current: incident({ silenced: true }),
    input: failing(),
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'error',
      occurrences: 2,
      event: 'occurrence',
      transition: 'firing',
    },
  },
  {
    name: 'an inhibited incident whose cause cleared surfaces as firing',
    current: incident({ type: 'duplicate_keys', check: 'd', inhibitedBy: 3 }),
    input: failing({ type: 'duplicate_keys', check: 'd' }),
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'error',
      occurrences: 2,
      event: 'occurrence',
      transition: 'firing',
    },
  },
  {
    name: 'an acknowledged incident still escalates',
    current: incident({ occurrences: 2, acknowledged: true, acknowledgedBy: 'a' }),
    input: failing(),
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'critical',
      occurrences: 3,
      event: 'escalation',
      transition: 'escalated',
    },
  },
  {
    name: 'resolve: the condition cleared',
    current: incident({ occurrences: 3, severity: 'critical' }),
    input: { kind: 'ok' },
    want: {
      kind: 'write',
      isNew: false,
      status: 'resolved',
      severity: 'critical',
      occurrences: 3,
      event: 'resolution',
      transition: 'resolved',
    },
  },
  {
    name: 'an acknowledged incident still resolves',
    current: incident({ acknowledged: true }),
    input: { kind: 'ok' },
    want: {
      kind: 'write',
      isNew: false,
      status: 'resolved',
      severity: 'error',
      occurrences: 1,
      event: 'resolution',
      transition: 'resolved',
    },
  },
  {
    name: 'clear with nothing firing records nothing',
    current: null,
    input: { kind: 'ok' },
    want: { kind: 'none' },
  },
  {
    name: 'clear of a resolved incident records nothing',
    current: incident({ status: 'resolved' }),
    input: { kind: 'ok' },
    want: { kind: 'none' },
  },
  {
    name: 'acknowledge a firing incident (no notification)',
    current: incident(),
    input: { kind: 'ack', by: 'alice', notes: 'on it' },
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'error',
      occurrences: 1,
      event: 'acknowledgement',
    },
  },
  {
    name: 'acknowledge an unknown id',
    current: null,
    input: { kind: 'ack', by: 'a', notes: '' },
    want: { kind: 'error', code: 'MVW_ALERT_NOT_FOUND' },
  },
  {
    name: 'acknowledge a resolved incident',
    current: incident({ status: 'resolved', resolvedAt: T0 }),
    input: { kind: 'ack', by: 'a', notes: '' },
    want: { kind: 'error', code: 'MVW_ALERT_NOT_FIRING' },
  },
  {
    name: 'unacknowledge',
    current: incident({ acknowledged: true, acknowledgedBy: 'a', acknowledgedAt: T0 }),
    input: { kind: 'unack', by: 'b' },
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'error',
      occurrences: 1,
      event: 'unacknowledgement',
    },
  },
  {
    name: 'unacknowledge what nobody acknowledged',
    current: incident(),
    input: { kind: 'unack' },
    want: { kind: 'none' },
  },
  {
    name: 'silence ended while firing: notify as firing',
    current: incident({ silenced: true }),
    input: { kind: 'unsilence' },
    want: {
      kind: 'write',
      isNew: false,
      status: 'firing',
      severity: 'error',
      occurrences: 1,
      event: 'unsilenced',
      transition: 'firing',
    },
  },
  {
    name: 'unsilence of an unsilenced incident',
    current: incident(),
    input: { kind: 'unsilence' },
    want: { kind: 'none' },
  },
];

for (const row of rows) {
  test(`transition: ${row.name}`, () => {
    const out = transition(row.current, row.input, policy, NOW, -1);
    assert.equal(out.kind, row.want.kind);
    if (out.kind === 'error' && row.want.kind === 'error') assert.equal(out.code, row.want.code);
    if (out.kind !== 'write' || row.want.kind !== 'write') return;
    const w = row.want;
    assert.equal(out.isNew, w.isNew);
    assert.equal(out.next.status, w.status);
    assert.equal(out.next.severity, w.severity);
    assert.equal(out.next.occurrences, w.occurrences);
    assert.equal(out.event.kind, w.event);
    assert.equal(out.event.severity, w.severity);
    assert.equal(out.transition, w.transition);
    if (w.type) assert.equal(out.next.type, w.type);
    if (w.isNew) assert.equal(out.next.id, -1);
  });
}

test('transition: an update keeps identity and first-seen, takes the latest message and details', () => {
  const out = transition(incident(), failing(), policy, NOW);
  assert.equal(out.kind, 'write');
  if (out.kind !== 'write') return;
  assert.equal(out.next.id, 7);
  assert.equal(out.next.firstSeenAt, T0);
  assert.equal(out.next.lastSeenAt, NOW.toISOString());
  assert.equal(out.next.message, 'new');
  assert.deepEqual(out.next.details, { n: 1 });
  assert.deepEqual(out.event.details, { n: 1 });
});

test('transition: acknowledgement keeps the seed fields; the messages explain a resolved id', () => {
  const acked = transition(incident(), { kind: 'ack', by: 'alice', notes: 'on it' }, policy, NOW);
  assert.ok(acked.kind === 'write');
  assert.equal(acked.next.acknowledgedBy, 'alice');
  assert.equal(acked.next.acknowledgedAt, NOW.toISOString());
  assert.equal(acked.next.notes, 'on it');
  assert.equal(acked.event.actor, 'alice');
  const resolved = transition(
    incident({ status: 'resolved', resolvedAt: T0 }),
    { kind: 'ack', by: 'a', notes: '' },
    policy,
    NOW,
  );
  assert.ok(resolved.kind === 'error');
  assert.match(resolved.message, /resolved at 2025-01-01T00:00:00.000Z/);
});

test('policy: per-view override over global over defaults; 0 turns count escalation off', () => {
  const opts = {
    escalation: { consecutiveFailures: 5 },
    views: { 'public.v': { escalation: { consecutiveFailures: 0 } } },
  };
  assert.equal(policyFor({}, 'public.x').consecutiveFailures, 3);
  assert.equal(policyFor(opts, 'public.x').consecutiveFailures, 5);
  assert.equal(policyFor(opts, 'public.v').consecutiveFailures, 0);
  const off = transition(incident({ occurrences: 10 }), failing(), policyFor(opts, 'public.v'), NOW);
  assert.ok(off.kind === 'write');
  assert.equal(off.next.severity, 'error');
});

test('freshnessSeverity: error past errorAfter, critical past twice that', () => {
  const cases: [number, AlertSeverity][] = [
    [999, 'warning'],
    [1_000, 'warning'],
    [1_001, 'error'],
    [2_000, 'error'],
    [2_001, 'critical'],
  ];
  for (const [age, want] of cases) assert.equal(freshnessSeverity(age, 1_000, 'warning'), want, String(age));
});
