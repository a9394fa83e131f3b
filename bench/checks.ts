/**
 * Benchmark of the check engine (issue 3): a 2,000,000-row materialized view, five checks over
 * four columns (nulls, IQR outliers, freshness, row count, duplicates on a non-indexed key).
 * Prints medians over 5 runs of the engine, of one `select count(*)` (the floor) and of the
 * naive way (one query per check per column), and both ratios.
 *
 *   node --import tsx bench/checks.ts        (DATABASE_URL, default the local server)
 */
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { checksSchema } from '../src/checks/config.js';
import { runChecks } from '../src/checks/engine.js';
import { benchUrl, median, time } from './util.js';

const DATABASE = 'mvwatch_bench_checks';
const ROWS = 2_000_000;
const RUNS = 5;
const VIEW = 'public.bench_daily';

const CHECKS = checksSchema.parse({
  null_check: { columns: ['close', 'volume'], threshold: 0.05 },
  outlier_check: { columns: ['close'], method: 'iqr', threshold: 3, tolerance: 0.001 },
  freshness_check: { column: 'trade_date', warnAfter: '2d' },
  row_count_change: { threshold: 0.3 },
  duplicate_check: { columns: ['ts_code', 'trade_date'] },
});

/** One query per check per column, as the original ran them (on all rows instead of 10 000). */
const NAIVE = [
  `select count(*) - count(close) from ${VIEW}`,
  `select count(*) - count(volume) from ${VIEW}`,
  `select percentile_cont(array[0.25, 0.75]) within group (order by close::float8) from ${VIEW}`,
  `select count(*) from ${VIEW} where close::float8 < $1 or close::float8 > $2`,
  `select max(trade_date) from ${VIEW}`,
  `select count(*) from ${VIEW}`,
  `select count(*), sum(n) from (select ts_code, trade_date, count(*) n from ${VIEW}
     group by ts_code, trade_date having count(*) > 1) d`,
];

/** `database` on the benchmark server (util.benchUrl). */
function url(database: string): string {
  const u = new URL(benchUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates the database and the view once; later runs reuse them. */
async function prepare(): Promise<void> {
  const admin = new pg.Client({ connectionString: url('postgres') });
  await admin.connect();
  const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [DATABASE]);
  if (!rowCount) await admin.query(`create database ${DATABASE}`);
  await admin.end();
  const c = new pg.Client({ connectionString: url(DATABASE) });
  await c.connect();
  if (!(await c.query(`select to_regclass('${VIEW}') as r`)).rows[0].r) {
    console.log(`building ${ROWS} rows…`);
    // 4000 codes × 500 days; ~1 % null close, 0.05 % outliers, 5 duplicated keys.
    await c.query(`create materialized view ${VIEW} as
      select 'C' || lpad((i % 4000)::text, 6, '0') || '.SH' as ts_code,
             (current_date - 500 + (i / 4000)) as trade_date,
             case when i % 100 = 7 then null
                  when i % 2000 = 11 then 100000
                  else round((10 + (i::bigint * 7919 % 10007) / 100.0)::numeric, 4) end::numeric(14,4) as close,
             (i::bigint * 104729 % 1000003) as volume
        from generate_series(0, ${ROWS - 6}) i
      union all
      select 'C' || lpad(k::text, 6, '0') || '.SH', current_date - 500, 1, 1 from generate_series(0, 4) k`);
    await c.query(`analyze ${VIEW}`);
  }
  await c.end();
}

async function medianOf(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: caches, not measured
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await time(fn));
  return median(times);
}

export async function run(): Promise<void> {
  await prepare();
  const c = new pg.Client({ connectionString: url(DATABASE) });
  await c.connect();
  // The pipeline hands the engine its pool: the duplicate sort runs beside the main scan.
  const pool = new pg.Pool({ connectionString: url(DATABASE), max: 2 });
  try {
    const [schema, name] = VIEW.split('.') as [string, string];
    let last: Awaited<ReturnType<typeof runChecks>> | undefined;
    const engine = await medianOf(async () => {
      last = await runChecks({
        client: c,
        view: { schema, name },
        viewKey: VIEW,
        checks: CHECKS,
        previousRowCount: ROWS,
        history: [],
        previousColumns: null,
        pool,
      });
    });
    const floor = await medianOf(() => c.query(`select count(*) from ${VIEW}`));
    const naive = await medianOf(async () => {
      let bounds: number[] = [];
      for (const sql of NAIVE) {
        const { rows } = await c.query(sql, sql.includes('$1') ? bounds : []);
        const q = rows[0]?.percentile_cont as number[] | undefined;
        // The outlier count needs the quartiles' bounds, as the engine computes them.
        if (q) bounds = [q[0]! - 3 * (q[1]! - q[0]!), q[1]! + 3 * (q[1]! - q[0]!)];
      }
    });
    const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
    console.log(
      `view ${VIEW}: ${last?.rowCount} rows; checks: ${last?.results.map((r) => `${r.check}=${r.status}`).join(', ')}`,
    );
    console.log(`engine runChecks   ${fmt(engine)}`);
    console.log(`floor count(*)     ${fmt(floor)}`);
    console.log(`naive (${NAIVE.length} queries) ${fmt(naive)}`);
    console.log(`engine / floor     ${(engine / floor).toFixed(2)}×   (target ≤ 3×)`);
    console.log(`naive / engine     ${(naive / engine).toFixed(2)}×   (target ≥ 2×)`);
  } finally {
    await c.end();
    await pool.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
