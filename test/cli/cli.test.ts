import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Alert, RefreshResult } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/db.js';

const { db, url } = await freshDatabase();
const env = { DATABASE_URL: url };
const dir = mkdtempSync(join(tmpdir(), 'mvwatch-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

await db.query(`
  create table t (id int primary key, d int not null default 1);
  insert into t select g from generate_series(1, 20) g;
  create materialized view good_mv as select id from t;
  create unique index on good_mv (id);
  create materialized view bad_mv as select id, 1 / (d - 1) as q from t with no data;
  create materialized view slow_mv as select 1 as s from pg_sleep(3) with no data;
`);

test('--help lists the commands and exits 0', async () => {
  const r = await runCli(['--help'], env);
  assert.equal(r.code, 0);
  for (const c of ['init', 'refresh', 'status', 'history', 'alerts', 'ack'])
    assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
});

test('init prints the schema version; twice is fine', async () => {
  const a = await runCli(['init', '--json'], env);
  const b = await runCli(['init', '--json'], env);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.json<{ version: number }>().version, a.json<{ version: number }>().version);
});

test('refresh one view: the SPEC result object, exit 0, recorded', async () => {
  const r = await runCli(['refresh', 'good_mv', '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  const out = r.json<RefreshResult>();
  assert.equal(out.view, 'public.good_mv');
  assert.equal(out.status, 'success');
  assert.equal(out.strategy, 'auto');
  assert.equal(out.usedStrategy, 'concurrent');
  assert.equal(out.fallback, false);
  assert.equal(out.rowCount, 20);
  assert.ok(out.runId! > 0);
  assert.equal(typeof out.durationMs, 'number');
  const h = await runCli(['history', 'good_mv', '--json'], env);
  assert.equal(h.json<{ id: number }[]>()[0]!.id, out.runId);
});

test('a failing view: exit 1, SQLSTATE in the result, a refresh_failed alert', async () => {
  const r = await runCli(['refresh', 'bad_mv', '--strategy', 'full', '--json'], env);
  assert.equal(r.code, 1);
  const out = r.json<RefreshResult>();
  assert.equal(out.status, 'failed');
  assert.equal(out.error?.sqlstate, '22012');
  assert.equal(out.error?.kind, 'error');
  assert.equal(out.alerts?.length, 1);
  const alerts = (await runCli(['alerts', '--view', 'bad_mv', '--json'], env)).json<Alert[]>();
  assert.equal(alerts[0]!.type, 'refresh_failed');
  assert.equal(alerts[0]!.id, out.alerts![0]);
  const human = await runCli(['refresh', 'bad_mv'], env);
  assert.match(human.stdout, /FAIL public\.bad_mv/);
  assert.match(human.stdout, /22012/);
});

test('refresh --timeout 1s on a slow view: refresh_timeout', async () => {
  const r = await runCli(['refresh', 'slow_mv', '--timeout', '1s', '--json'], env);
  assert.equal(r.code, 1);
  const out = r.json<RefreshResult>();
  assert.equal(out.error?.kind, 'timeout');
  const [alert] = (
    await runCli(['alerts', '--view', 'slow_mv', '--type', 'refresh_timeout', '--json'], env)
  ).json<Alert[]>();
  assert.equal(alert?.type, 'refresh_timeout');
});

test('several views print an array; one bad name refreshes nothing (exit 2)', async () => {
  const r = await runCli(['refresh', 'good_mv', 'public.good_mv', '--json'], env);
  assert.equal(r.json<RefreshResult[]>().length, 2);
  const before = (await db.query('select count(*)::int as n from mvwatch.materialized_views_refresh_runs'))
    .rows[0]!.n;
  const bad = await runCli(['refresh', 'good_mv', 'public.mv; drop table t'], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^mvwatch: Invalid view name/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  const after = (await db.query('select count(*)::int as n from mvwatch.materialized_views_refresh_runs'))
    .rows[0]!.n;
  assert.equal(after, before);
  const long = await runCli(['refresh', `public.${'v'.repeat(64)}`], env);
  assert.equal(long.code, 2);
  assert.match(long.stderr, /63-byte limit/);
});

test('usage errors exit 2: unknown option, bad strategy, bad duration', async () => {
  assert.equal((await runCli(['refresh', 'good_mv', '--strategy', 'sideways'], env)).code, 2);
  assert.equal((await runCli(['refresh', 'good_mv', '--timeout', 'soon'], env)).code, 2);
  assert.equal((await runCli(['status', '--bogus'], env)).code, 2);
  assert.equal((await runCli(['nosuchcommand'], env)).code, 2);
  assert.equal((await runCli(['refresh'], env)).code, 2);
});

test('status: never_refreshed for an unknown view; latest state otherwise', async () => {
  const none = (await runCli(['status', 'analytics.nothing_yet', '--json'], env)).json<{ status: string }>();
  assert.equal(none.status, 'never_refreshed');
  const good = (await runCli(['status', 'good_mv', '--json'], env)).json<{
    status: string;
    rowCount: number;
  }>();
  assert.equal(good.status, 'success');
  assert.equal(good.rowCount, 20);
  const all = (await runCli(['status', '--json'], env)).json<{ view: string }[]>();
  assert.ok(all.some((s) => s.view === 'public.bad_mv'));
});

test('ack: unknown id exits 1 with a clear message; a real one is acknowledged', async () => {
  const unknown = await runCli(['ack', '999999', '--by', 'alice'], env);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /No alert has id 999999/);
  const [alert] = (await runCli(['alerts', '--view', 'bad_mv', '--json'], env)).json<Alert[]>();
  const ok = await runCli(['ack', String(alert!.id), '--by', 'alice', '--note', 'on it', '--json'], env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.json<Alert>().acknowledgedBy, 'alice');
  assert.equal((await runCli(['ack', String(alert!.id)], env)).code, 2, '--by is required');
  const unacked = (await runCli(['alerts', '--unacked', '--view', 'bad_mv', '--json'], env)).json<Alert[]>();
  assert.ok(unacked.every((a) => a.id !== alert!.id));
});

test('alerts summary: counts by severity and type', async () => {
  const s = (await runCli(['alerts', 'summary', '--json'], env)).json<{
    total: number;
    bySeverity: Record<string, number>;
  }>();
  assert.ok(s.total >= 2);
  assert.equal(typeof s.bySeverity.critical, 'number');
  assert.equal((await runCli(['alerts', '--severity', 'urgent'], env)).code, 2);
});

test('a broken config file: exit 2, every problem listed by its path, nothing run', async () => {
  const path = join(dir, 'broken.yaml');
  writeFileSync(
    path,
    [
      'views:',
      '  - name: good_mv',
      '    strategy: sideways',
      '  - name: "public.x; drop"',
      '    timeout: soon',
      'bogus: 1',
    ].join('\n'),
  );
  const r = await runCli(['--config', path, 'refresh', '--all'], env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /views\[0\]\.strategy: expected one of full, concurrent, auto/);
  assert.match(r.stderr, /views\[1\]\.name: Invalid view name/);
  assert.match(r.stderr, /views\[1\]\.timeout: expected a duration/);
  assert.match(r.stderr, /bogus/);
  const missing = await runCli(['--config', join(dir, 'nope.yaml'), 'status'], env);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /does not exist/);
  writeFileSync(join(dir, 'syntax.yaml'), 'views: [\n');
  assert.equal((await runCli(['--config', join(dir, 'syntax.yaml'), 'status'], env)).code, 2);
});

test('refresh --all runs the configured views upstream first', async () => {
  await db.query('create materialized view down_mv as select id from good_mv');
  const path = join(dir, 'all.yaml');
  writeFileSync(path, ['views:', '  - name: down_mv', '    strategy: full', '  - name: good_mv'].join('\n'));
  const r = await runCli(['--config', path, 'refresh', '--all', '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    r.json<RefreshResult[]>().map((x) => x.view),
    ['public.good_mv', 'public.down_mv'],
  );
});

test('check: runs the configured checks without refreshing; exit 1 on an error result', async () => {
  await db.query(`create table c (id int, v int); insert into c values (1, 1), (1, null), (2, 2);
                  create materialized view c_mv as select id, v from c;`);
  const path = join(dir, 'checks.yaml');
  writeFileSync(
    path,
    [
      'views:',
      '  - name: c_mv',
      '    checks:',
      '      null_check: { columns: [v], threshold: 0.5 }',
      '      duplicate_check: { columns: [id] }',
    ].join('\n'),
  );
  const runsBefore = (
    await db.query('select count(*)::int as n from mvwatch.materialized_views_refresh_runs')
  ).rows[0]!.n;
  const r = await runCli(['--config', path, 'check', 'c_mv', '--json'], env);
  assert.equal(r.code, 1, r.stderr);
  const out = r.json<{
    status: string;
    rowCount: number;
    checks: { check: string; status: string }[];
    alerts: number[];
  }>();
  assert.equal(out.status, 'error');
  assert.equal(out.rowCount, 3);
  assert.deepEqual(
    out.checks.map((c) => [c.check, c.status]),
    [
      ['null_check', 'pass'],
      ['duplicate_check', 'error'],
    ],
  );
  assert.equal(out.alerts.length, 1);
  const runsAfter = (await db.query('select count(*)::int as n from mvwatch.materialized_views_refresh_runs'))
    .rows[0]!.n;
  assert.equal(runsAfter, runsBefore, 'check never refreshes');
  const recorded = await db.query(
    `select count(*)::int as n from mvwatch.materialized_views_quality_checks where view_name = 'public.c_mv'`,
  );
  assert.equal(recorded.rows[0]!.n, 2);
  // Fixed data: the duplicate incident resolves.
  await db.query('delete from c where v is null; refresh materialized view c_mv');
  const fixed = await runCli(['--config', path, 'check', 'c_mv', '--json'], env);
  assert.equal(fixed.code, 0, fixed.stderr);
  const [incident] = (await runCli(['alerts', '--view', 'c_mv', '--json'], env)).json<{ status: string }[]>();
  assert.equal(incident?.status, 'resolved');
  const none = await runCli(['check', 'good_mv'], env);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /has no checks configured/);
});

test('an unreachable database: exit 1, one sentence, the password never shown', async () => {
  const down = await runCli(['--database-url', 'postgres://postgres:s3cret@127.0.0.1:1/x', 'status'], {});
  assert.equal(down.code, 1);
  assert.match(
    down.stderr,
    /^mvwatch: Cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/x/,
  );
  assert.doesNotMatch(down.stderr, /s3cret/);
  const noDb = await runCli(['status'], {
    DATABASE_URL: `${url.replace(/\/[^/]*$/, '')}/mvwatch_no_such_db`,
  });
  assert.equal(noDb.code, 1);
  assert.match(noDb.stderr, /Cannot connect to PostgreSQL .*does not exist/);
});
