import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDb } from '../../src/db/db.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { freshDatabase } from '../helpers/db.js';

const { url } = await freshDatabase();
const latest = Math.max(...loadMigrations().map((m) => m.id));

test('init twice: the second call applies nothing', async () => {
  const db = createDb({ url, schema: 'twice' });
  try {
    assert.deepEqual(
      (await migrate(db)).applied,
      loadMigrations().map((m) => m.id),
    );
    assert.deepEqual(await migrate(db), { version: latest, applied: [] });
  } finally {
    await db.close();
  }
});

test('init twice at once: both succeed and each migration is applied once', async () => {
  const dbs = Array.from({ length: 4 }, () => createDb({ url, schema: 'racing' }));
  try {
    const results = await Promise.all(dbs.map((db) => migrate(db)));
    assert.ok(results.every((r) => r.version === latest));
    assert.equal(results.flatMap((r) => r.applied).length, loadMigrations().length);
    const { rows } = await dbs[0]!.query('select count(*)::int as n from racing.migrations');
    assert.equal(rows[0]!.n, loadMigrations().length);
  } finally {
    await Promise.all(dbs.map((db) => db.close()));
  }
});

test('a state schema whose name needs quoting', async () => {
  const db = createDb({ url, schema: 'Odd "State" Schema' });
  try {
    await migrate(db);
    const { rows } = await db.query(`select count(*)::int as n from ${db.s}.materialized_views_alerts`);
    assert.equal(rows[0]!.n, 0);
  } finally {
    await db.close();
  }
});

test('the seed tables have every seed column and index, with timestamptz and bigint', async () => {
  const db = createDb({ url });
  try {
    const { rows } = await db.query<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns where table_schema = 'mvwatch'`,
    );
    const col = (t: string, c: string) =>
      rows.find((r) => r.table_name === t && r.column_name === c)?.data_type;
    const meta = 'materialized_views_metadata';
    for (const c of [
      'view_name',
      'view_schema',
      'source_tables',
      'refresh_strategy',
      'refresh_status',
      'error_message',
    ]) {
      assert.ok(col(meta, c), `${meta}.${c}`);
    }
    assert.equal(col(meta, 'row_count'), 'bigint');
    assert.equal(col(meta, 'last_refresh_time'), 'timestamp with time zone');
    assert.equal(col('materialized_views_quality_checks', 'check_details'), 'jsonb');
    assert.equal(col('materialized_views_alerts', 'acknowledged_at'), 'timestamp with time zone');
    assert.equal(col('materialized_views_refresh_runs', 'row_count'), 'bigint');
    const idx = await db.query<{ indexdef: string }>(
      `select indexdef from pg_indexes where schemaname = 'mvwatch' and tablename = 'materialized_views_alerts'`,
    );
    for (const cols of [
      '(view_name, created_at DESC)',
      '(severity, created_at DESC)',
      '(acknowledged, created_at DESC)',
      '(alert_type, created_at DESC)',
    ]) {
      assert.ok(
        idx.rows.some((r) => r.indexdef.includes(cols)),
        cols,
      );
    }
  } finally {
    await db.close();
  }
});
