import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { isMvwatchError } from '../../src/errors.js';
import { ASHARE_VIEWS, dropAshare, PE_NULL_RATE, seedAshare } from '../../src/examples/ashare.js';
import { freshDatabase } from '../helpers/db.js';

const STOCKS = 50;
const DAYS = 20;
const { db } = await freshDatabase();

async function count(sql: string, params?: unknown[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select (${sql})::int8 as n`, params);
  return rows[0]!.n;
}

/** A digest of every raw row and view row: equal digests mean equal data sets. */
async function digest(): Promise<string> {
  const { rows } = await db.query<{ d: string }>(`
    select md5(
      (select string_agg(t::text, '|' order by t::text) from rawdata.daily t) ||
      (select string_agg(t::text, '|' order by t::text) from rawdata.daily_basic t) ||
      (select string_agg(t::text, '|' order by t::text) from rawdata.fina_indicator t) ||
      (select string_agg(t::text, '|' order by t::text) from rawdata.index_member t) ||
      (select string_agg(t::text, '|' order by t::text) from materialized_views.pit_valuation_mv t) ||
      (select string_agg(t::text, '|' order by t::text) from materialized_views.sector_daily_mv t)
    ) as d`);
  return rows[0]!.d;
}

test('seeds the data set and returns the four views in dependency order', async () => {
  const { views } = await seedAshare(db, { stocks: STOCKS, days: DAYS });
  assert.deepEqual(views, [...ASHARE_VIEWS]);
  assert.ok(
    views.indexOf('materialized_views.pit_industry_mv') < views.indexOf('materialized_views.sector_daily_mv'),
  );
  assert.equal(await count('select count(*) from rawdata.stock_basic'), STOCKS);
  const bars = await count('select count(*) from rawdata.daily');
  // One IPO (50/50) and rare suspensions take a few bars off the full grid.
  assert.ok(bars > STOCKS * DAYS * 0.9 && bars <= STOCKS * DAYS, `daily has ${bars} rows`);
  assert.equal(await count('select count(*) from rawdata.daily_basic'), bars, 'one valuation per bar');
  assert.equal(
    await count(`select count(*) from rawdata.daily
      where high < greatest(open, close) or low > least(open, close) or low <= 0 or vol <= 0`),
    0,
    'bars are consistent',
  );
  assert.equal(await count(`select count(*) from rawdata.daily where trade_date !~ '^[0-9]{8}$'`), 0);
  assert.equal(
    await count(`select count(*) from rawdata.stock_basic where ts_code !~ '^[0-9]{6}\\.(SH|SZ)$'`),
    0,
  );
  for (const code of ['600000.SH', '000001.SZ', '300750.SZ']) {
    assert.equal(await count('select count(*) from rawdata.stock_basic where ts_code = $1', [code]), 1, code);
  }
});

test('each view refreshes and holds plausible rows', async () => {
  for (const view of ASHARE_VIEWS) await db.query(`refresh materialized view ${view}`);

  const market = await db.query<{ n: number; days: number; min: number; max: number }>(
    `select count(*)::int as n, count(distinct trade_date)::int as days, min(stock_count) as min, max(stock_count) as max
     from materialized_views.market_stats_daily_mv`,
  );
  assert.equal(market.rows[0]!.n, DAYS, 'one row per trading day');
  assert.ok(market.rows[0]!.min >= STOCKS - 5 && market.rows[0]!.max <= STOCKS);
  assert.equal(
    await count(`select count(*) from materialized_views.market_stats_daily_mv
      where advancers + decliners + unchanged <> stock_count or not (close_q1 <= close_median and close_median <= close_q3)`),
    0,
  );
  // Every bar lands in exactly one industry on its day: sector counts add up to the market's.
  assert.equal(
    await count(`select count(*) from materialized_views.market_stats_daily_mv m
      join (select trade_date, sum(stock_count) as n from materialized_views.sector_daily_mv group by trade_date) s
        using (trade_date)
      where s.n = m.stock_count`),
    DAYS,
  );
  const industries = await count(
    'select count(distinct industry_code) from materialized_views.sector_daily_mv',
  );
  assert.ok(industries >= 15 && industries <= 31, `${industries} industries`);

  // One row per stock, plus a second one for each of the max(1, 50/10) = 5 stocks that change industry.
  assert.equal(await count('select count(*) from materialized_views.pit_industry_mv'), STOCKS + 5);
  assert.equal(
    await count('select count(*) from materialized_views.pit_industry_mv where valid_to is not null'),
    5,
  );
  assert.equal(
    await count(`select count(*) from materialized_views.pit_industry_mv
      where industry_code !~ '^801[0-9]{3}\\.SI$' or industry_name !~ '^[\u4e00-\u9fff]+$'`),
    0,
    'Shenwan codes and Chinese names',
  );

  // Every stock has a valuation in force; intervals follow each other without overlap.
  assert.equal(
    await count('select count(distinct ts_code) from materialized_views.pit_valuation_mv'),
    STOCKS,
  );
  assert.equal(
    await count(`select count(*) from materialized_views.pit_valuation_mv
      where (valid_to is not null and valid_to <= valid_from) or priced_on < valid_from
         or (valid_to is not null and priced_on >= valid_to)`),
    0,
  );
  assert.equal(
    await count(`select count(*) from (
      select ts_code, valid_to, lead(valid_from) over (partition by ts_code order by valid_from) as next_from
      from materialized_views.pit_valuation_mv) t where valid_to is distinct from next_from`),
    0,
  );
});

test('the views have the column types the example config checks', async () => {
  const { rows } = await db.query<{ view: string; col: string; type: string }>(
    `select c.relname as view, a.attname as col, format_type(a.atttypid, a.atttypmod) as type
     from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'materialized_views' and a.attnum > 0 and not a.attisdropped`,
  );
  const type = (view: string, col: string) => rows.find((r) => r.view === view && r.col === col)?.type;
  const config = loadConfig({ path: resolve(import.meta.dirname, '../../examples/ashare/mvwatch.yaml') });
  for (const view of config.views) {
    // Read loosely: the check engine's typed settings may change shape, the file's keys do not.
    const checks = view.checks as Record<string, { columns?: Record<string, string> } | undefined>;
    const expected = checks.type_check?.columns ?? {};
    assert.ok(Object.keys(expected).length > 0, `${view.view} has a type_check`);
    for (const [col, t] of Object.entries(expected))
      assert.equal(type(view.name.name, col), t, `${view.view}.${col}`);
  }
});

test('every view has a unique index and refreshes concurrently', async () => {
  for (const view of ASHARE_VIEWS) {
    const n = await count(
      `select count(*) from pg_index where indrelid = $1::regclass and indisunique and indpred is null`,
      [view],
    );
    assert.equal(n, 1, `${view} has a unique index`);
    await db.query(`refresh materialized view concurrently ${view}`);
  }
});

test('the planted defects are there for the checks to find', async () => {
  const nullRate = await db.query<{ rate: number }>(
    'select avg((pe_ttm is null)::int)::float8 as rate from rawdata.daily_basic',
  );
  const rate = nullRate.rows[0]!.rate;
  assert.ok(rate > PE_NULL_RATE / 2 && rate < PE_NULL_RATE * 2, `pe_ttm null rate ${rate}`);
  assert.equal(
    await count('select count(*) from rawdata.daily_basic where pb is null or total_mv is null'),
    0,
  );

  // IQR × 3 on the valuation view flags exactly the planted stocks: max(2, 50/100) = 2 per metric.
  for (const col of ['pe_ttm', 'pb']) {
    const flagged = await count(`
      with q as (
        select percentile_cont(0.25) within group (order by ${col}) as q1,
               percentile_cont(0.75) within group (order by ${col}) as q3
        from materialized_views.pit_valuation_mv)
      select count(distinct ts_code) from materialized_views.pit_valuation_mv, q
      where ${col} > q3 + 3 * (q3 - q1) or ${col} < q1 - 3 * (q3 - q1)`);
    assert.equal(flagged, 2, `${col} outlier stocks`);
  }
});

test('seeding again replaces the data set with the same one; another seed gives another', async () => {
  const options = { stocks: STOCKS, days: DAYS, endDate: '2024-06-28' };
  await seedAshare(db, options);
  const first = await digest();
  await seedAshare(db, options);
  assert.equal(await digest(), first, 'same options, same data');
  assert.equal(await count('select count(*) from rawdata.stock_basic'), STOCKS, 'replaced, not appended');
  assert.equal(
    await count(
      `select count(*) from materialized_views.market_stats_daily_mv where trade_date = date '2024-06-28'`,
    ),
    1,
  );
  await seedAshare(db, { ...options, seed: 7 });
  assert.notEqual(await digest(), first, 'another seed, other data');
});

test('rejects options out of range before running any SQL', async () => {
  const sent: string[] = [];
  const client = { query: async (sql: string) => void sent.push(sql) };
  for (const options of [
    { stocks: 0 },
    { stocks: 1.5 },
    { stocks: 5001 },
    { days: Number.NaN },
    { days: '20' as unknown as number },
    { seed: 2 ** 60 },
    { endDate: '2024-02-30' },
    { endDate: "2024-01-01'; drop table x; --" },
  ]) {
    await assert.rejects(
      seedAshare(client, options),
      (e) => isMvwatchError(e) && e.code === 'MVW_INVALID_ARGUMENT',
      JSON.stringify(options),
    );
  }
  assert.deepEqual(sent, []);
});

test('dropAshare removes what seedAshare made and leaves other objects alone', async () => {
  await db.query('create table rawdata.keep_me (id int)');
  await dropAshare(db);
  for (const rel of [...ASHARE_VIEWS, 'rawdata.daily', 'rawdata.stock_basic']) {
    assert.equal(await count('select count(*) from pg_class where oid = to_regclass($1)', [rel]), 0, rel);
  }
  assert.equal(await count(`select count(*) from pg_namespace where nspname = 'materialized_views'`), 0);
  assert.equal(
    await count(`select count(*) from pg_namespace where nspname = 'rawdata'`),
    1,
    'not empty: kept',
  );
  await db.query('drop table rawdata.keep_me');
  await dropAshare(db);
  assert.equal(await count(`select count(*) from pg_namespace where nspname = 'rawdata'`), 0);
  await dropAshare(db); // nothing left to drop: still fine
});

test('the default size seeds quickly', async (t) => {
  const started = performance.now();
  await seedAshare(db);
  const ms = Math.round(performance.now() - started);
  t.diagnostic(`seedAshare 300 stocks × 120 days: ${ms} ms`);
  assert.equal(await count('select count(*) from materialized_views.market_stats_daily_mv'), 120);
  // Well under 2 s on a laptop; the margin is for busy CI machines.
  assert.ok(ms < 5000, `${ms} ms`);
});
