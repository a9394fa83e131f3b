import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MaterializedViewAlerting } from '../../src/alerts/alerting.js';
import type { AlertEvent } from '../../src/alerts/events.js';
import type { Silence } from '../../src/alerts/silences.js';
import type { Alert } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/db.js';
import { refreshResult } from '../helpers/runs.js';

const { db, url } = await freshDatabase();
const env = { DATABASE_URL: url };
const alerting = new MaterializedViewAlerting(db);

test('silence add / list / expire, with their exit codes', async () => {
  const add = await runCli(
    [
      'silence',
      'add',
      '--view',
      'analytics.*',
      '--label',
      'team=quant',
      '--severity',
      'err*',
      '--duration',
      '2h',
      '--by',
      'alice',
      '--comment',
      'backfill',
      '--json',
    ],
    env,
  );
  assert.equal(add.code, 0, add.stderr);
  const s = add.json<Silence>();
  assert.deepEqual(s.matchers, { view: 'analytics.*', severity: 'err*', labels: { team: 'quant' } });
  assert.equal(s.createdBy, 'alice');

  const human = await runCli(['silence', 'list'], env);
  assert.match(human.stdout, new RegExp(`#${s.id}\\s+view=analytics\\.\\* severity=err\\* team=quant`));
  assert.deepEqual(
    (await runCli(['silence', 'list', '--json'], env)).json<Silence[]>().map((x) => x.id),
    [s.id],
  );

  // Silenced alerts show their flag in `alerts`.
  await alerting.observeRun({
    refresh: refreshResult('analytics.x_mv', 'failed'),
    checks: [],
    labels: { team: 'quant' },
  });
  const list = await runCli(['alerts', '--view', 'analytics.x_mv'], env);
  assert.match(list.stdout, /FLAGS/);
  assert.match(list.stdout, /silenced/);

  const expire = await runCli(['silence', 'expire', String(s.id), '--json'], env);
  assert.equal(expire.code, 0, expire.stderr);
  assert.ok(Date.parse(expire.json<Silence>().endsAt) <= Date.now());
  assert.deepEqual((await runCli(['silence', 'list', '--json'], env)).json(), []);

  const unknown = await runCli(['silence', 'expire', '999999'], env);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /No silence has id 999999/);
});

test('silence add: usage errors exit 2', async () => {
  const base = ['silence', 'add', '--duration', '1h', '--by', 'a', '--comment', 'c'];
  assert.equal((await runCli([...base, '--label', 'novalue'], env)).code, 2);
  assert.equal((await runCli([...base, '--type', 'nonsense'], env)).code, 2);
  assert.equal(
    (await runCli(['silence', 'add', '--view', 'x', '--duration', '1h', '--comment', 'c'], env)).code,
    2,
  );
  const none = await runCli(base, env);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /at least one matcher/);
});

test('alerts --status, alerts show, ack / unack', async () => {
  const id = await alerting.alertRefreshFailed('cli_mv', 'boom', 'full', 1);
  await alerting.alertRefreshFailed('cli_mv', 'boom again', 'full', 1);

  const firing = (await runCli(['alerts', '--view', 'cli_mv', '--status', 'firing', '--json'], env)).json<
    Alert[]
  >();
  assert.deepEqual(
    firing.map((a) => [a.id, a.occurrences, a.silenced, a.inhibitedBy]),
    [[id, 2, false, null]],
  );
  assert.deepEqual(
    (await runCli(['alerts', '--view', 'cli_mv', '--status', 'resolved', '--json'], env)).json(),
    [],
  );
  assert.equal((await runCli(['alerts', '--status', 'open'], env)).code, 2);

  const ack = await runCli(['ack', String(id), '--by', 'alice', '--note', 'on it'], env);
  assert.equal(ack.code, 0, ack.stderr);
  const unack = await runCli(['unack', String(id), '--by', 'alice'], env);
  assert.equal(unack.code, 0, unack.stderr);
  assert.match(unack.stdout, new RegExp(`Alert #${id} .* no longer acknowledged`));

  const show = await runCli(['alerts', 'show', String(id), '--json'], env);
  assert.equal(show.code, 0, show.stderr);
  const { alert, events } = show.json<{ alert: Alert; events: AlertEvent[] }>();
  assert.equal(alert.id, id);
  assert.deepEqual(
    events.map((e) => e.kind),
    ['occurrence', 'occurrence', 'acknowledgement', 'unacknowledgement'],
  );
  const human = await runCli(['alerts', 'show', String(id)], env);
  assert.match(human.stdout, /occurrences 2/);
  assert.match(human.stdout, /acknowledgement\s+error\s+alice/);

  assert.equal((await runCli(['alerts', 'show', '987654'], env)).code, 1);

  await alerting.alertDataQualityIssue('cli_mv', 'x', 'warning', 'meh');
  await alerting.observeRun({
    refresh: refreshResult('cli_mv', 'success'),
    checks: [],
  });
  const resolved = await runCli(['ack', String(id), '--by', 'bob'], env);
  assert.equal(resolved.code, 1);
  assert.match(resolved.stderr, /was resolved at .* nothing to acknowledge/);
  assert.equal((await runCli(['unack', '987654'], env)).code, 1);
});
