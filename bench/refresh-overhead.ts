/**
 * bench/refresh-overhead: what mvwatch adds to a refresh. 200 refreshes of a small view through
 * MaterializedViewTask (no checks: refresh, record, alerts) against 200 plain
 * `REFRESH MATERIALIZED VIEW` statements on one connection. Target: < 3 ms added per refresh.
 */
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createDb } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { MaterializedViewTask } from '../src/task/task.js';
import { benchDatabase, fmt, median, time } from './util.js';

const N = 200;

export async function run(): Promise<void> {
  const url = await benchDatabase('mvwatch_bench_refresh');
  const db = createDb({ url, max: 2 });
  await migrate(db);
  await db.query(`
    create table src as select g as id, g % 7 as k from generate_series(1, 1000) g;
    create materialized view small_mv as select k, count(*) as n from src group by k;`);

  const plain = new pg.Client({ connectionString: url });
  await plain.connect();
  const task = new MaterializedViewTask(db, { view: 'public.small_mv', strategy: 'full' });
  // Warm both paths (plans, connections, catalog caches) before measuring.
  for (let i = 0; i < 20; i++) {
    await plain.query('refresh materialized view public.small_mv');
    await task.run();
  }
  const plainMs: number[] = [];
  const taskMs: number[] = [];
  // Interleaved, so drift in the machine's load hits both sides alike.
  for (let i = 0; i < N; i++) {
    plainMs.push(await time(() => plain.query('refresh materialized view public.small_mv')));
    taskMs.push(await time(() => task.run()));
  }
  await plain.end();
  await db.close();

  const p = median(plainMs);
  const t = median(taskMs);
  console.log('refresh-overhead (200 refreshes of a 7-row view over 1,000 rows)');
  console.log(`  plain REFRESH           median ${fmt(p)}`);
  console.log(`  MaterializedViewTask    median ${fmt(t)}`);
  console.log(`  added per refresh       ${fmt(t - p)}   (target < 3 ms)`);
  console.log(`  ratio                   ${(t / p).toFixed(2)}x`);
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run();
