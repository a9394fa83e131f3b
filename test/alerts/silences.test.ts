import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MaterializedViewAlerting } from '../../src/alerts/alerting.js';
import type { AlertTransitionEvent } from '../../src/alerts/events.js';
import { freshDatabase } from '../helpers/db.js';
import { refreshResult } from '../helpers/runs.js';

const { db } = await freshDatabase();
const seen: AlertTransitionEvent[] = [];
const alerting = new MaterializedViewAlerting(db, {
  onTransitions: async (_client, events) => {
    seen.push(...events);
  },
});

const HOUR = 3_600_000;

test('a silence matching by glob: recorded silenced, reported silenced, other views untouched', async () => {
  const silence = await alerting.createSilence({
    matchers: { view: 'analytics.*', labels: { team: 'q*' } },
    durationMs: 2 * HOUR,
    createdBy: 'alice',
    comment: 'backfill running',
  });
  assert.equal(silence.createdBy, 'alice');
  assert.equal(Date.parse(silence.endsAt) - Date.parse(silence.startsAt), 2 * HOUR);

  const quant = { team: 'quant' };
  const run = (view: string, labels: Record<string, string>) =>
    alerting.observeRun({
      refresh: refreshResult(view, 'failed'),
      checks: [],
      labels,
    });
  seen.length = 0;
  const [silencedId] = await run('analytics.sector_daily_mv', quant);
  const [otherTeam] = await run('analytics.other_mv', { team: 'ops' });
  const [loud] = await run('public.loud_mv', quant);
  assert.deepEqual(
    seen.map((e) => [e.alert.id, e.transition, e.silenced, e.labels.team]),
    [
      [silencedId, 'firing', true, 'quant'],
      [otherTeam, 'firing', false, 'ops'],
      [loud, 'firing', false, 'quant'],
    ],
  );
  const a = await alerting.getAlert(silencedId!);
  assert.equal(a.silenced, true);
  assert.equal((await alerting.getAlertEvents(silencedId!))[0]!.kind, 'silenced');

  // Still silenced: nothing to release yet.
  assert.deepEqual(await alerting.releaseEndedSilences(), []);
  assert.deepEqual(
    (await alerting.listSilences()).map((s) => s.id),
    [silence.id],
  );

  // The silence ends while the incident still fires: it is notified then, once.
  const expired = await alerting.expireSilence(silence.id);
  assert.ok(Date.parse(expired.endsAt) <= Date.now());
  assert.deepEqual(await alerting.listSilences(), []);
  assert.equal((await alerting.listSilences({ all: true })).length, 1);
  seen.length = 0;
  const released = await alerting.releaseEndedSilences();
  assert.deepEqual(
    released.map((r) => [r.id, r.silenced]),
    [[silencedId, false]],
  );
  assert.deepEqual(
    seen.map((e) => [e.alert.id, e.transition, e.silenced]),
    [[silencedId, 'firing', false]],
  );
  assert.deepEqual(await alerting.releaseEndedSilences(), []);
  assert.equal((await alerting.getAlertEvents(silencedId!)).at(-1)!.kind, 'unsilenced');

  // The next occurrence is a plain repeat.
  seen.length = 0;
  await run('analytics.sector_daily_mv', quant);
  assert.deepEqual(
    seen.map((e) => [e.transition, e.silenced]),
    [['repeat', false]],
  );
});

test('a silence by severity matches the escalated severity', async () => {
  const s = await alerting.createSilence({
    matchers: { view: 'public.sev_mv', severity: 'critical' },
    durationMs: HOUR,
    createdBy: 'bob',
  });
  for (let i = 0; i < 3; i++) await alerting.alertRefreshFailed('sev_mv', 'boom', 'full', 1);
  const [a] = await alerting.getAlertHistory({ view: 'sev_mv' });
  assert.equal(a!.severity, 'critical');
  assert.equal(a!.silenced, true);
  const kinds = (await alerting.getAlertEvents(a!.id)).map((e) => `${e.kind}:${e.silenced}`);
  assert.deepEqual(kinds, ['occurrence:false', 'occurrence:false', 'escalation:true']);
  await alerting.expireSilence(s.id);
});

test('silence errors: no matcher, no duration, unknown id', async () => {
  await assert.rejects(
    (async () => alerting.createSilence({ matchers: {}, durationMs: HOUR, createdBy: 'a' }))(),
    { code: 'MVW_INVALID_ARGUMENT' },
  );
  await assert.rejects(
    (async () => alerting.createSilence({ matchers: { view: '*' }, durationMs: 0, createdBy: 'a' }))(),
    { code: 'MVW_INVALID_ARGUMENT' },
  );
  await assert.rejects(alerting.expireSilence(424_242), { code: 'MVW_SILENCE_NOT_FOUND', exitCode: 1 });
});

test('a silence that has not started does not match, and expiring it leaves an empty interval', async () => {
  const later = await alerting.createSilence({
    matchers: { view: 'public.future_mv' },
    durationMs: HOUR,
    createdBy: 'a',
    startsAt: new Date(Date.now() + HOUR),
  });
  const id = await alerting.alertRefreshFailed('future_mv', 'boom', 'full', 1);
  assert.equal((await alerting.getAlert(id)).silenced, false);
  const expired = await alerting.expireSilence(later.id);
  assert.equal(expired.endsAt, expired.startsAt);
});
