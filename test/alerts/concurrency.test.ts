import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MaterializedViewAlerting } from '../../src/alerts/alerting.js';
import { createDb } from '../../src/db/db.js';
import { freshDatabase } from '../helpers/db.js';
import { refreshResult } from '../helpers/runs.js';

const { db, url } = await freshDatabase();

test('8 parallel writers × 100 observations of one fingerprint: one incident, 800 occurrences', async () => {
  const WRITERS = 8;
  const EACH = 100;
  // Separate pools stand for separate processes: nothing is shared but the database.
  const pools = Array.from({ length: WRITERS }, () => createDb({ url, max: 2 }));
  try {
    await Promise.all(
      pools.map(async (pool) => {
        const alerting = new MaterializedViewAlerting(pool);
        for (let i = 0; i < EACH; i++) await alerting.alertRefreshFailed('race_mv', 'boom', 'full', 0.1);
      }),
    );
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
  const { rows } = await db.query(
    `select id, occurrences, severity, status from mvwatch.materialized_views_alerts where view_name = 'public.race_mv'`,
  );
  assert.equal(rows.length, 1);
  const incident = rows[0]!;
  assert.equal(incident.occurrences, WRITERS * EACH);
  assert.equal(incident.severity, 'critical');
  const events = await db.query(
    `select kind, count(*)::int as n from mvwatch.materialized_views_alert_events where alert_id = $1 group by kind order by kind`,
    [incident.id],
  );
  // Exactly one escalation (at the third), whoever wrote it.
  assert.deepEqual(events.rows, [
    { kind: 'escalation', n: 1 },
    { kind: 'occurrence', n: WRITERS * EACH - 1 },
  ]);
});

test('parallel batches (observeMany) over shared fingerprints: no duplicates, nothing lost', async () => {
  const pools = Array.from({ length: 4 }, () => createDb({ url, max: 2 }));
  const at = new Date().toISOString();
  const obs = (i: number) => ({
    refresh: refreshResult(`public.batch_${i % 10}`, 'failed', { startedAt: at, finishedAt: at }),
    checks: [],
  });
  try {
    await Promise.all(
      pools.map(async (pool) => {
        const alerting = new MaterializedViewAlerting(pool);
        for (let b = 0; b < 5; b++) await alerting.observeMany(Array.from({ length: 50 }, (_, i) => obs(i)));
      }),
    );
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
  const { rows } = await db.query(
    `select count(*)::int as incidents, sum(occurrences)::int as occurrences
       from mvwatch.materialized_views_alerts where view_name like 'public.batch\\_%'`,
  );
  assert.deepEqual(rows[0], { incidents: 10, occurrences: 4 * 5 * 50 });
});

test('the partial unique index refuses a second firing incident for a fingerprint', async () => {
  const alerting = new MaterializedViewAlerting(db);
  await alerting.alertRefreshFailed('dup_mv', 'boom', 'full', 1);
  await assert.rejects(
    db.query(
      `insert into mvwatch.materialized_views_alerts (view_name, alert_type, severity, message, fingerprint)
       select view_name, alert_type, severity, message, fingerprint from mvwatch.materialized_views_alerts
        where view_name = 'public.dup_mv'`,
    ),
    { code: '23505' },
  );
});
