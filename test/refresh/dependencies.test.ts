import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dependencyOrder, loadDependencies } from '../../src/refresh/dependencies.js';
import { freshDatabase } from '../helpers/db.js';

const { db } = await freshDatabase();
await db.query(`
  create schema a;
  create table a.base (id int);
  create materialized view a.m1 as select id from a.base;
  create view a.v_over_m1 as select id from a.m1;
  create materialized view a.m2 as select id from a.v_over_m1;   -- through a plain view
  create materialized view a.m3 as select m1.id from a.m1 join a.m2 using (id);
  create materialized view a.lonely as select 1 as one;
`);

test('the catalog graph: matview on matview, and through plain views', async () => {
  const g = await loadDependencies(db);
  assert.deepEqual(g.get('a.m2'), ['a.m1']);
  assert.deepEqual(g.get('a.m3'), ['a.m1', 'a.m2']);
  assert.equal(g.get('a.m1'), undefined);
  assert.equal(g.get('a.lonely'), undefined);
  const withDeclared = await loadDependencies(db, { 'a.lonely': ['a.m3'] });
  assert.deepEqual(withDeclared.get('a.lonely'), ['a.m3']);
});

test('order: upstream first, otherwise the order given', async () => {
  const g = await loadDependencies(db);
  assert.deepEqual(dependencyOrder(['a.m3', 'a.lonely', 'a.m2', 'a.m1'], g), [
    'a.lonely',
    'a.m1',
    'a.m2',
    'a.m3',
  ]);
  assert.deepEqual(dependencyOrder(['x', 'b', 'a'], new Map()), ['x', 'b', 'a']);
  // A cycle (only possible through declared edges) does not lose views.
  const cyclic = new Map([
    ['p', ['q']],
    ['q', ['p']],
  ]);
  assert.deepEqual(dependencyOrder(['p', 'q', 'r'], cyclic), ['r', 'p', 'q']);
});
