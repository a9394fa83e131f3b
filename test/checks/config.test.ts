import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checksSchema } from '../../src/checks/config.js';
import { buildConfig } from '../../src/config/load.js';
import { isMvwatchError } from '../../src/errors.js';

/** The problems buildConfig reports for `views` (each with its path). */
function problems(views: unknown[]): string[] {
  try {
    buildConfig({ views }, { env: {} });
  } catch (e) {
    assert.ok(isMvwatchError(e) && e.code === 'MVW_INVALID_CONFIG', String(e));
    return e.details as string[];
  }
  return [];
}

test('invalid settings are reported by their path in the file', () => {
  const out = problems([
    { name: 'a.v0', checks: { outlier_check: { columns: ['x'], method: 'percentile' } } },
    { name: 'a.v1', checks: {} },
    { name: 'a.v2', checks: { null_check: { columns: ['x'], threshold: 5 } } },
  ]);
  assert.deepEqual(out, [
    'views[0].checks.outlier_check.method: expected one of iqr, zscore, mad',
    'views[2].checks.null_check.threshold: expected a number between 0 and 1',
  ]);
});

test('each problem of each check is listed: types, unknown keys, unknown kinds, order of limits', () => {
  const out = problems([
    {
      name: 'v',
      checks: {
        null_check: { columns: 'x', treshold: 0.1 },
        mystery: { columns: ['x'] },
        strict_nulls: { kind: 'nul_check' },
        row_count_change: { threshold: 0.5, errorThreshold: 0.2, min: -1 },
        freshness_check: { column: 'd', warnAfter: 'soon' },
        sql_check: { query: '' },
        type_check: { columns: { x: 'int; drop table t' } },
        duplicate_check: 'yes',
      },
    },
  ]);
  assert.deepEqual(out, [
    'views[0].checks.null_check.columns: expected a list of column names',
    'views[0].checks.null_check: unknown key "treshold"',
    'views[0].checks.mystery: unknown check kind "mystery": expected one of null_check, outlier_check, row_count_change, duplicate_check, type_check, freshness_check, schema_check, sql_check, duration_anomaly (or set kind:)',
    'views[0].checks.strict_nulls.kind: unknown check kind "nul_check": expected one of null_check, outlier_check, row_count_change, duplicate_check, type_check, freshness_check, schema_check, sql_check, duration_anomaly',
    'views[0].checks.row_count_change.min: expected a whole number ≥ 0',
    'views[0].checks.row_count_change.errorThreshold: expected a value ≥ threshold (0.5)',
    'views[0].checks.freshness_check.warnAfter: expected a duration such as 30s, 10m, 2h or 1d, got "soon"',
    'views[0].checks.sql_check.query: expected an SQL query',
    'views[0].checks.type_check.columns.x: expected a PostgreSQL type name such as integer, numeric(12,2) or timestamptz',
    'views[0].checks.duplicate_check: expected a mapping of settings',
  ]);
});

test('errorThreshold below threshold is rejected where it would make the warning band empty', () => {
  assert.deepEqual(
    problems([{ name: 'v', checks: { null_check: { threshold: 0.5, errorThreshold: 0.1 } } }]),
    ['views[0].checks.null_check.errorThreshold: expected a value ≥ threshold (0.5)'],
  );
});

test('the kind is `kind:` or the name, and the seed defaults apply', () => {
  const config = buildConfig(
    {
      views: [
        {
          name: 'v',
          checks: {
            null_check: { columns: ['a'] },
            nulls_strict: { kind: 'null_check', columns: ['b'], threshold: 0.01, errorThreshold: 0.05 },
            outlier_check: { columns: ['c'] },
            row_count_change: {},
            rows_history: { kind: 'row_count_change', method: 'history' },
            duplicate_check: { columns: ['a'] },
            schema_check: null,
            freshness_check: { column: 'd', warnAfter: '2d', errorAfter: '5d' },
            q: { kind: 'sql_check', query: 'select 1' },
            slow: { kind: 'duration_anomaly', floor: '5s' },
          },
        },
      ],
    },
    { env: {} },
  );
  const checks = config.views[0]!.checks;
  assert.deepEqual(checks.null_check, { kind: 'null_check', columns: ['a'], threshold: 0 });
  assert.deepEqual(checks.nulls_strict, {
    kind: 'null_check',
    columns: ['b'],
    threshold: 0.01,
    errorThreshold: 0.05,
  });
  assert.deepEqual(checks.outlier_check, {
    kind: 'outlier_check',
    columns: ['c'],
    method: 'iqr',
    threshold: 3,
    tolerance: 0,
  });
  assert.deepEqual(checks.row_count_change, {
    kind: 'row_count_change',
    method: 'change',
    threshold: 0.5,
    score: 'zscore',
    minHistory: 5,
    window: 30,
    floor: 1,
    floorRatio: 0.01,
  });
  assert.equal((checks.rows_history as { threshold: number }).threshold, 3);
  assert.deepEqual(checks.duplicate_check, {
    kind: 'duplicate_check',
    columns: ['a'],
    threshold: 0,
    errorThreshold: 0,
  });
  assert.deepEqual(checks.schema_check, { kind: 'schema_check', errorOn: [], ignore: [] });
  assert.deepEqual(checks.freshness_check, {
    kind: 'freshness_check',
    column: 'd',
    warnAfter: 2 * 86_400_000,
    errorAfter: 5 * 86_400_000,
  });
  assert.deepEqual(checks.q, {
    kind: 'sql_check',
    query: 'select 1',
    timeout: 30_000,
    threshold: 0,
    errorThreshold: 0,
  });
  assert.deepEqual(checks.slow, {
    kind: 'duration_anomaly',
    threshold: 3,
    score: 'zscore',
    minHistory: 5,
    window: 30,
    floor: 5000,
    floorRatio: 0.1,
  });
});

test('the SPEC §4 example validates', () => {
  const parsed = checksSchema.safeParse({
    null_check: { columns: ['trade_date', 'industry_code'], threshold: 0.01, errorThreshold: 0.05 },
    duplicate_check: { columns: ['trade_date', 'industry_code'] },
    outlier_check: { columns: ['close_median'], method: 'iqr', threshold: 3, tolerance: 0.001 },
    row_count_change: { threshold: 0.3, errorThreshold: 0.6, min: 1 },
    type_check: { columns: { trade_date: 'date', stock_count: 'integer' } },
    freshness_check: { column: 'trade_date', warnAfter: '2d', errorAfter: '5d' },
  });
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
});
