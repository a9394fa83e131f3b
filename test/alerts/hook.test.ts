import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MaterializedViewAlerting } from '../../src/alerts/alerting.js';
import type { AlertTransitionEvent } from '../../src/alerts/events.js';
import { freshDatabase } from '../helpers/db.js';
import { refreshResult } from '../helpers/runs.js';

const { db } = await freshDatabase();

test('onTransitions runs inside the transaction that wrote the incident', async () => {
  const calls: { events: AlertTransitionEvent[]; inTx: boolean; outside: number }[] = [];
  const alerting = new MaterializedViewAlerting(db, {
    onTransitions: async (client, events) => {
      const id = events[0]!.alert.id;
      const mine = await client.query('select 1 from mvwatch.materialized_views_alerts where id = $1', [id]);
      // A transaction that has written (the incident) and not committed yet has an xid assigned.
      const open = await client.query<{ t: boolean }>('select txid_current_if_assigned() is not null as t');
      const theirs = await db.query(
        `select count(*)::int as n from mvwatch.materialized_views_alert_events where alert_id = $1`,
        [id],
      );
      // Something the delivery job would do: enqueue in the same transaction.
      await client.query(
        `create temp table if not exists outbox (id bigint, transition text) on commit preserve rows`,
      );
      for (const e of events)
        await client.query('insert into outbox values ($1, $2)', [e.alert.id, e.transition]);
      calls.push({ events, inTx: mine.rowCount === 1 && open.rows[0]!.t, outside: theirs.rows[0]!.n });
    },
  });

  const id = await alerting.alertRefreshFailed('hook_mv', 'boom', 'full', 1, {}, { kind: 'error' });
  await alerting.alertRefreshFailed('hook_mv', 'boom', 'full', 1);
  await alerting.acknowledgeAlert(id, 'alice');
  await alerting.alertRefreshFailed('hook_mv', 'boom', 'full', 1);
  await alerting.alertRefreshFailed('hook_mv', 'boom', 'full', 1);
  await alerting.alertDataQualityIssue('hook_mv', 'c', 'warning', 'meh');
  await alerting.observeRun({
    refresh: refreshResult('hook_mv', 'success'),
    checks: [],
    labels: { team: 'quant' },
  });

  assert.ok(
    calls.every((c) => c.inTx),
    'the hook runs in the open transaction that wrote the incident',
  );
  assert.ok(
    calls.every((c) => c.outside === 0 || c.events[0]!.transition !== 'firing'),
    'another connection does not see a new incident before commit',
  );
  const flat = calls.flatMap((c) => c.events);
  assert.deepEqual(
    flat.map((e) => [e.alert.type, e.transition, e.acknowledged, e.alert.severity, e.alert.occurrences]),
    [
      ['refresh_failed', 'firing', false, 'error', 1],
      ['refresh_failed', 'repeat', false, 'error', 2],
      ['refresh_failed', 'escalated', true, 'critical', 3],
      ['refresh_failed', 'repeat', true, 'critical', 4],
      ['data_quality_warning', 'firing', false, 'warning', 1],
      ['refresh_failed', 'resolved', true, 'critical', 4],
    ],
  );
  assert.deepEqual(flat.at(-1)!.labels, { team: 'quant' });
  assert.equal(flat.at(-1)!.alert.status, 'resolved');
});

test('throwing in onTransitions rolls the incident and its log back', async () => {
  const failing = new MaterializedViewAlerting(db, {
    onTransitions: async () => {
      throw new Error('queue unavailable');
    },
  });
  await assert.rejects(failing.alertRefreshFailed('rollback_mv', 'boom', 'full', 1), /queue unavailable/);
  const plain = new MaterializedViewAlerting(db);
  assert.deepEqual(await plain.getAlertHistory({ view: 'rollback_mv' }), []);

  // An update rolled back leaves the incident as it was.
  const id = await plain.alertRefreshFailed('rollback_mv', 'boom', 'full', 1);
  await assert.rejects(failing.alertRefreshFailed('rollback_mv', 'boom', 'full', 1), /queue unavailable/);
  assert.equal((await plain.getAlert(id)).occurrences, 1);
  assert.equal((await plain.getAlertEvents(id)).length, 1);
});
