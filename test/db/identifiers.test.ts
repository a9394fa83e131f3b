import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatQualified, parseQualifiedName, quoteQualified } from '../../src/db/identifiers.js';

test('parses names the way PostgreSQL does', () => {
  const cases: [string, string, string][] = [
    ['sales_mv', 'public', 'sales_mv'],
    ['analytics.sector_daily_mv', 'analytics', 'sector_daily_mv'],
    ['Analytics.Sector_MV', 'analytics', 'sector_mv'],
    ['"Mixed Case"."View"', 'Mixed Case', 'View'],
    ['"Sales 2024"."Daily View"', 'Sales 2024', 'Daily View'],
    ['"a""b".c', 'a"b', 'c'],
    ['"has.dot"', 'public', 'has.dot'],
    [' padded.name ', 'padded', 'name'],
  ];
  for (const [input, schema, name] of cases) {
    assert.deepEqual(parseQualifiedName(input), { schema, name }, input);
  }
});

test('rejects anything that is not a name, before it can reach SQL', () => {
  for (const bad of [
    'public.mv; drop table x',
    'a.b.c',
    '',
    '"unclosed',
    '""',
    'mv--x',
    "mv'x",
    `public.${'x'.repeat(64)}`,
    'a.',
  ]) {
    assert.throws(() => parseQualifiedName(bad), { code: 'MVW_INVALID_VIEW_NAME' }, bad);
  }
});

test('63 bytes is the limit, counted in UTF-8 bytes', () => {
  assert.equal(parseQualifiedName('x'.repeat(63)).name.length, 63);
  assert.throws(() => parseQualifiedName('x'.repeat(64)), /63-byte limit/);
  // 22 three-byte characters = 66 bytes, though only 22 characters.
  assert.throws(() => parseQualifiedName(`"${'估'.repeat(22)}"`), /63-byte limit/);
});

test('formats canonically and quotes for SQL', () => {
  assert.equal(formatQualified({ schema: 'public', name: 'mv' }), 'public.mv');
  assert.equal(formatQualified({ schema: 'Mixed Case', name: 'View' }), '"Mixed Case"."View"');
  assert.equal(quoteQualified({ schema: 'a"b', name: 'c' }), '"a""b"."c"');
  for (const s of ['public.mv', '"Mixed Case"."View"', '"a""b".c']) {
    assert.equal(formatQualified(parseQualifiedName(s)), s);
  }
});
