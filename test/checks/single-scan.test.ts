import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type pg from 'pg';
import { check, checkDatabase, resultOf } from './helpers.js';

const t = await checkDatabase();
const VIEW = '"public"."wide"';

/** Runs `fn` while recording every statement the connection is sent. */
async function recording<T>(
  fn: () => Promise<T>,
): Promise<{ out: T; sent: { text: string; values?: unknown[] }[] }> {
  const sent: { text: string; values?: unknown[] }[] = [];
  const client = t.client as pg.Client & { query: (...a: unknown[]) => unknown };
  const original = client.query;
  client.query = function (this: pg.Client, text: unknown, values?: unknown) {
    sent.push({ text: String(text), values: values as unknown[] });
    return original.call(this, text as string, values as unknown[]);
  } as never;
  try {
    return { out: await fn(), sent };
  } finally {
    client.query = original;
  }
}

/** Sequential scans of the view in the plan of `sql`. */
async function scansOf(sql: { text: string; values?: unknown[] }): Promise<number> {
  const { rows } = await t.sql(`explain (format json) ${sql.text}`, sql.values);
  const text = JSON.stringify(rows[0]['QUERY PLAN']);
  return (
    text.match(
      /"Node Type":"Seq Scan","Parent Relationship":"[A-Za-z]+","Parallel Aware":(true|false),("Async Capable":(true|false),)?"Relation Name":"wide"/g,
    ) ?? []
  ).length;
}

const onView = (sent: { text: string; values?: unknown[] }[]) => sent.filter((s) => s.text.includes(VIEW));

before(async () => {
  await t.sql(`create materialized view public.wide as
    select i as id, 'C' || i as code, date '2024-01-01' + (i % 30) as day,
           (i % 97)::numeric(10,2) as price, case when i % 50 = 0 then null else i end as qty,
           to_char(date '2024-01-01' + (i % 30), 'YYYYMMDD') as day_text
      from generate_series(1, 5000) i`);
  await t.sql(`create materialized view public.bad_dates as
    select * from (values (1, '20240101'), (2, '20241399'), (3, null)) v(id, d)`);
});

test('every aggregate check of a view is one statement: IQR scans the view twice', async () => {
  const checks = {
    null_check: { columns: ['qty', 'price'], threshold: 0.5 },
    outlier_check: { columns: ['price', 'qty'], method: 'iqr' },
    zs: { kind: 'outlier_check', columns: ['qty'], method: 'zscore' },
    freshness_check: { column: 'day', warnAfter: '1000d' },
    fresh_text: { kind: 'freshness_check', column: 'day_text', warnAfter: '1000d' },
    row_count_change: {},
    duplicate_check: { columns: ['code', 'day'] },
    type_check: { columns: { price: 'numeric' } },
    schema_check: {},
  };
  const { out: run, sent } = await recording(() =>
    check(t.client, 'public.wide', checks, { previousRowCount: 5000, now: new Date('2024-02-01T00:00:00Z') }),
  );
  assert.equal(run.status, 'pass', JSON.stringify(run.results.filter((r) => r.status !== 'pass')));
  assert.equal(run.results.length, 9);
  assert.equal(run.rowCount, 5000);
  // Every aggregate check in one statement; the duplicate check on a non-indexed key is the
  // one statement of its own (a sort of 8-byte key hashes, which no aggregate can share).
  const all = onView(sent);
  const statements = all.filter((s) => !s.text.includes('"mvw$h"'));
  assert.equal(statements.length, 1, statements.map((s) => s.text).join('\n---\n'));
  assert.equal(all.length - statements.length, 1);
  assert.equal(await scansOf(statements[0]!), 2);
  // Values are bound, never spliced: the IQR multiplier is a parameter.
  assert.ok(statements[0]!.values!.includes(3));
});

test('without outlier checks the statement scans once; with MAD three times', async () => {
  const once = await recording(() =>
    check(t.client, 'public.wide', {
      null_check: { columns: ['qty'] },
      freshness_check: { column: 'day', warnAfter: '1000d' },
    }),
  );
  assert.equal(await scansOf(onView(once.sent)[0]!), 1);
  const mad = await recording(() =>
    check(t.client, 'public.wide', { outlier_check: { columns: ['price'], method: 'mad' } }),
  );
  assert.equal(onView(mad.sent).length, 1);
  assert.equal(await scansOf(onView(mad.sent)[0]!), 3);
});

test('no checks: still the row count, from one count(*)', async () => {
  const { out: run, sent } = await recording(() => check(t.client, 'public.wide', {}));
  assert.deepEqual([run.rowCount, run.status, run.results], [5000, 'pass', []]);
  assert.equal(run.columns.length, 6);
  const statements = onView(sent);
  assert.equal(statements.length, 1);
  assert.match(statements[0]!.text, /select count\(\*\) as mvw\$0\s+from "public"\."wide"\)/);
  assert.equal(await scansOf(statements[0]!), 1);
});

test('failing checks add one statement for all their sample keys', async () => {
  const { out: run, sent } = await recording(() =>
    check(t.client, 'public.wide', {
      null_check: { columns: ['qty'] },
      outlier_check: { columns: ['qty'], method: 'zscore', threshold: 1 },
    }),
  );
  assert.equal(run.status, 'warning');
  assert.equal(onView(sent).length, 2);
});

test('one check breaking the shared scan becomes one error result; the others still run', async () => {
  const run = await check(t.client, 'public.bad_dates', {
    null_check: { columns: ['d'], threshold: 0.5 },
    freshness_check: { column: 'd', warnAfter: '1d' },
  });
  assert.equal(run.rowCount, 3);
  assert.equal(resultOf(run, 'null_check').status, 'pass');
  const r = resultOf(run, 'freshness_check');
  assert.equal(r.status, 'error');
  assert.match(r.message, /^Check freshness_check failed: date\/time field value out of range/);
  assert.equal(r.details.sqlstate, '22008');
});

test('duration_anomaly: no result without a refresh duration; slower than history warns', async () => {
  const history = [1000, 1100, 900, 1000, 1050, 950].map((durationMs) => ({ rowCount: 5000, durationMs }));
  const checks = { duration_anomaly: { floor: 100 } };
  assert.deepEqual((await check(t.client, 'public.wide', checks, { history })).results, []);
  const slow = resultOf(
    await check(t.client, 'public.wide', checks, { history, refreshDurationMs: 5000 }),
    'duration_anomaly',
  );
  assert.equal(slow.status, 'warning');
  assert.equal(slow.details.historyRuns, 6);
  // Faster is never an anomaly.
  const fast = resultOf(
    await check(t.client, 'public.wide', checks, { history, refreshDurationMs: 10 }),
    'duration_anomaly',
  );
  assert.equal(fast.status, 'pass');
  const young = resultOf(
    await check(t.client, 'public.wide', checks, { history: history.slice(0, 2), refreshDurationMs: 5000 }),
    'duration_anomaly',
  );
  assert.deepEqual(
    [young.status, young.message],
    ['pass', 'Not enough history yet (2 of 5 successful runs)'],
  );
});
