/**
 * SQL of the A-share example (see ashare.ts for the public API). Everything is generated on the
 * server in one script: no files, no network, no client-side loops.
 *
 * Randomness: `hashint8extended(key, seed)` gives a deterministic, well-mixed 64-bit value per
 * (stream, row). It is stable across PostgreSQL versions (hash partitioning depends on it) and
 * about ten times cheaper than md5, which keeps 300 stocks × 120 days well under a second.
 * `setseed()` + `random()` is avoided on purpose: its output depends on row order, which a
 * parallel plan does not guarantee.
 */

/** Validated generation parameters, already plain integers (safe to splice into SQL). */
export interface AshareParams {
  stocks: number;
  days: number;
  seed: number;
  /** `current_date` or a `date 'YYYY-MM-DD'` literal built from a validated string. */
  endDateSql: string;
}

/** The example's materialized views, in dependency order (sector_daily_mv reads pit_industry_mv). */
export const ASHARE_VIEWS = [
  'materialized_views.pit_valuation_mv',
  'materialized_views.pit_industry_mv',
  'materialized_views.market_stats_daily_mv',
  'materialized_views.sector_daily_mv',
] as const;

/** The raw tables the example owns in schema `rawdata`. */
export const ASHARE_TABLES = [
  'rawdata.trade_cal',
  'rawdata.stock_basic',
  'rawdata.daily',
  'rawdata.daily_basic',
  'rawdata.fina_indicator',
  'rawdata.index_member',
] as const;

/** One stream id per independent random quantity, so no two quantities share draws. */
const S = {
  market1: 1,
  market2: 2,
  ipo: 10,
  ipoDay: 11,
  changer: 12,
  changeDay: 13,
  peOutlier: 14,
  pbOutlier: 15,
  industry: 16,
  newIndustry: 17,
  namePrefix: 18,
  price: 19,
  beta: 20,
  sigma: 21,
  shares: 22,
  turnover: 23,
  pe: 24,
  pb: 25,
  listAge: 26,
  ret1: 40,
  ret2: 41,
  gap: 42,
  wickHigh: 43,
  wickLow: 44,
  dayTurnover: 45,
  suspend: 46,
  peGap: 47,
  annLag: 60,
  epsNoise1: 61,
  epsNoise2: 62,
  bpsNoise1: 63,
  bpsNoise2: 64,
} as const;

/** Shenwan 2021 level-1 industries: code, name, name suffix of its stocks, PE range, PB range. */
const INDUSTRIES: readonly [string, string, string, number, number, number, number][] = [
  ['801010.SI', '农林牧渔', '农业', 15, 45, 1.5, 3.5],
  ['801030.SI', '基础化工', '化工', 12, 30, 1.2, 3],
  ['801040.SI', '钢铁', '钢铁', 8, 18, 0.6, 1.2],
  ['801050.SI', '有色金属', '矿业', 12, 30, 1.5, 3.5],
  ['801080.SI', '电子', '电子', 25, 60, 2.5, 5],
  ['801110.SI', '家用电器', '电器', 10, 20, 2, 4],
  ['801120.SI', '食品饮料', '食品', 20, 40, 3, 5],
  ['801130.SI', '纺织服饰', '服饰', 12, 25, 1.2, 2.5],
  ['801140.SI', '轻工制造', '家居', 15, 30, 1.5, 3],
  ['801150.SI', '医药生物', '药业', 20, 45, 2, 4.5],
  ['801160.SI', '公用事业', '电力', 12, 22, 1, 2],
  ['801170.SI', '交通运输', '物流', 10, 20, 1, 2],
  ['801180.SI', '房地产', '地产', 6, 15, 0.5, 1.2],
  ['801200.SI', '商贸零售', '商贸', 15, 35, 1, 2.5],
  ['801210.SI', '社会服务', '旅游', 20, 50, 2, 4],
  ['801230.SI', '综合', '实业', 20, 50, 1.5, 3],
  ['801710.SI', '建筑材料', '建材', 10, 20, 1, 2],
  ['801720.SI', '建筑装饰', '建工', 6, 12, 0.6, 1.2],
  ['801730.SI', '电力设备', '电气', 20, 40, 2, 4],
  ['801740.SI', '国防军工', '航天', 35, 60, 2.5, 5],
  ['801750.SI', '计算机', '软件', 35, 60, 3, 5],
  ['801760.SI', '传媒', '传媒', 25, 50, 2, 4],
  ['801770.SI', '通信', '通信', 20, 45, 2, 4],
  ['801780.SI', '银行', '银行', 4, 7, 0.5, 0.9],
  ['801790.SI', '非银金融', '证券', 10, 25, 1, 2],
  ['801880.SI', '汽车', '汽车', 15, 35, 1.5, 3],
  ['801890.SI', '机械设备', '重工', 18, 35, 1.8, 3.5],
  ['801950.SI', '煤炭', '能源', 6, 12, 1, 1.8],
  ['801960.SI', '石油石化', '石化', 8, 16, 0.8, 1.6],
  ['801970.SI', '环保', '环境', 15, 30, 1, 2],
  ['801980.SI', '美容护理', '美妆', 25, 50, 3, 5],
];

/**
 * Boards, dealt round-robin: first code, exchange, market, daily price limit, earliest listing.
 * The first code of each board is a real, well-known one (600000.SH, 000001.SZ, 300750.SZ...);
 * the rest count up from it. At most 5000 stocks keeps every board inside its own code range.
 */
const BOARDS: readonly [number, string, string, string, number, string][] = [
  [600000, 'SH', 'SSE', '主板', 0.1, '1990-12-19'],
  [1, 'SZ', 'SZSE', '主板', 0.1, '1991-04-03'],
  [300750, 'SZ', 'SZSE', '创业板', 0.2, '2009-10-30'],
  [601318, 'SH', 'SSE', '主板', 0.1, '1990-12-19'],
  [2415, 'SZ', 'SZSE', '主板', 0.1, '2004-06-25'],
  [688981, 'SH', 'SSE', '科创板', 0.2, '2019-07-22'],
  [603288, 'SH', 'SSE', '主板', 0.1, '1990-12-19'],
];

/** Synthetic company-name prefixes (names are made up: prefix + industry word). */
const NAME_PREFIXES = [
  '华夏',
  '东方',
  '长江',
  '金龙',
  '新华',
  '天元',
  '宏达',
  '永安',
  '国信',
  '南方',
  '北辰',
  '恒信',
  '瑞丰',
  '安泰',
  '星河',
  '中科',
  '鼎盛',
  '凯乐',
  '远洋',
  '泰山',
  '海润',
  '盛世',
  '锦江',
  '同方',
];

/** Share of stock-days whose pe_ttm is missing: the "few percent" a null_check should notice. */
export const PE_NULL_RATE = 0.03;
/** Share of stock-days a stock is suspended (停牌): makes stock_count move a little. */
const SUSPEND_RATE = 0.004;

/** A uniform draw in (0, 1): 52 bits of the hash, offset by half a step so 0 and 1 never occur. */
function u(seed: number, stream: number, key: string): string {
  return `(((hashint8extended(${stream}::int8 * 100000000 + (${key}), ${seed}::int8) >> 12)::float8 + 0.5) / 4503599627370496 + 0.5)`;
}

/** A standard normal draw (Box–Muller) from two streams. */
function normal(seed: number, s1: number, s2: number, key: string): string {
  return `(sqrt(-2 * ln(${u(seed, s1, key)})) * cos(2 * pi() * ${u(seed, s2, key)}))`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Drops every object the example owns (views first: they depend on the tables). */
export const DROP_OBJECTS_SQL = `
drop materialized view if exists materialized_views.sector_daily_mv;
drop materialized view if exists materialized_views.market_stats_daily_mv;
drop materialized view if exists materialized_views.pit_valuation_mv;
drop materialized view if exists materialized_views.pit_industry_mv;
drop table if exists ${[...ASHARE_TABLES].reverse().join(', ')};
`;

/** Drops the two schemas only when nothing else lives in them (2BP01: not empty, keep it). */
export const DROP_EMPTY_SCHEMAS_SQL = `
do $$
begin
  begin
    drop schema if exists materialized_views;
  exception when dependent_objects_still_exist then null;
  end;
  begin
    drop schema if exists rawdata;
  exception when dependent_objects_still_exist then null;
  end;
end
$$;
`;

/** Serializes concurrent seeders: two interleaved drop/create scripts would fail each other. */
const LOCK_SQL = `select pg_advisory_xact_lock(hashtext('mvwatch:examples/ashare'));`;

/** The whole seeding script: one round trip, one implicit transaction (simple query protocol). */
export function seedSql(p: AshareParams): string {
  const { stocks, days, seed } = p;
  // Counts of planted features, exact rather than probabilistic so small data sets still have them.
  const ipoCount = days >= 3 ? Math.floor(stocks / 50) : 0;
  const changers = days >= 2 ? Math.min(Math.max(1, Math.floor(stocks / 10)), stocks - ipoCount) : 0;
  const outliers = Math.min(stocks, Math.max(2, Math.round(stocks / 100)));
  // Weekdays only, so `days` trading days need about 7/5 as many calendar days (+7 for rounding).
  const span = Math.ceil((days * 7) / 5) + 7;
  const stockKey = 'i::int8 * 10000';
  const dayKey = 'i::int8 * 10000 + d';
  // quarters counted from year 0: stable keys, whatever window the calendar falls on
  const reportKey = 'i::int8 * 10000 + qn';

  const industries = INDUSTRIES.map(
    ([code, name, suffix, peLo, peHi, pbLo, pbHi], k) =>
      `(${k}, ${literal(code)}, ${literal(name)}, ${literal(suffix)}, ${peLo}::float8, ${peHi}::float8, ${pbLo}::float8, ${pbHi}::float8)`,
  ).join(',\n    ');
  const boards = BOARDS.map(
    ([base, suffix, exchange, market, limit, minList], k) =>
      `(${k}, ${base}, ${literal(suffix)}, ${literal(exchange)}, ${literal(market)}, ${limit}::float8, date ${literal(minList)})`,
  ).join(',\n    ');
  const prefixes = `array[${NAME_PREFIXES.map(literal).join(', ')}]`;

  return `
${LOCK_SQL}
-- a one-shot generator gains nothing from JIT (it cost a second here); sorts fit in memory
set local jit = off;
set local work_mem = '64MB';
create schema if not exists rawdata;
create schema if not exists materialized_views;
${DROP_OBJECTS_SQL}

-- trading calendar: the last ${days} weekdays up to the end date (holidays are not modelled)
create temp table ashare_day on commit drop as
select d, cal_date, to_char(cal_date, 'YYYYMMDD') as trade_date,
  0.011 * ${normal(seed, S.market1, S.market2, 'd')} as market
from (
  select (row_number() over (order by cal_date))::int as d, cal_date
  from (
    select g::date as cal_date
    from generate_series((${p.endDateSql} - ${span})::timestamp, (${p.endDateSql})::timestamp, interval '1 day') g
    where extract(isodow from g) < 6
    order by g desc
    limit ${days}
  ) t
) t;
create unique index on ashare_day (cal_date);

create temp table ashare_industry (
  k int primary key, code text, name text, suffix text,
  pe_lo float8, pe_hi float8, pb_lo float8, pb_hi float8
) on commit drop;
insert into ashare_industry values
    ${industries};

create temp table ashare_stock on commit drop as
with board(k, base, suffix, exchange, market, limit_pct, min_list) as (
  values
    ${boards}
), base as (
  select i, (i - 1) % 7 as board, (i - 1) / 7 as j,
    row_number() over (order by ${u(seed, S.ipo, stockKey)}) <= ${ipoCount} as ipo
  from generate_series(1, ${stocks}) i
), ranked as (
  select b.*,
    -- industry changers are drawn among stocks listed before the window, so the change falls after listing
    (not ipo and row_number() over (partition by ipo order by ${u(seed, S.changer, stockKey)}) <= ${changers}) as changes_industry,
    row_number() over (order by ${u(seed, S.peOutlier, stockKey)}) <= ${outliers} as pe_outlier,
    row_number() over (order by ${u(seed, S.pbOutlier, stockKey)}) <= ${outliers} as pb_outlier,
    case when ipo then 2 + floor(${u(seed, S.ipoDay, stockKey)} * ${days - 1})::int else 1 end as first_d,
    2 + floor(${u(seed, S.changeDay, stockKey)} * ${Math.max(days - 1, 1)})::int as change_d,
    floor(${u(seed, S.industry, stockKey)} * ${INDUSTRIES.length})::int as industry,
    -- a different industry: shift by 1..30 around the circle of 31
    floor(${u(seed, S.newIndustry, stockKey)} * ${INDUSTRIES.length - 1})::int + 1 as industry_shift,
    floor(${u(seed, S.namePrefix, stockKey)} * ${NAME_PREFIXES.length})::int + 1 as prefix
  from base b
)
select r.i, r.first_d, r.changes_industry, r.pe_outlier, r.pb_outlier,
  lpad((bd.base + r.j)::text, 6, '0') || '.' || bd.suffix as ts_code,
  lpad((bd.base + r.j)::text, 6, '0') as symbol,
  bd.exchange, bd.market, bd.limit_pct,
  (${prefixes})[r.prefix] || ind.suffix as name,
  case when r.ipo then fd.cal_date
    -- listed uniformly between ~25 years (or the board's opening) and 2 months before the window
    else least(d1.cal_date - 60, lo.d + floor(${u(seed, S.listAge, stockKey)} * greatest(d1.cal_date - 60 - lo.d, 0))::int)
  end as list_date,
  r.industry, (r.industry + r.industry_shift) % ${INDUSTRIES.length} as new_industry,
  case when r.changes_industry then cd.cal_date end as change_date,
  -- opening price 3..80 yuan, log-uniform like real A-share prices
  exp(ln(3) + ${u(seed, S.price, stockKey)} * ln(80.0 / 3)) as p0,
  0.6 + 0.8 * ${u(seed, S.beta, stockKey)} as beta,
  0.01 + 0.015 * ${u(seed, S.sigma, stockKey)} as sigma,
  -- total shares in 10 000s (万股, Tushare's unit): 80 million to 3 billion shares
  round(exp(ln(8000) + ${u(seed, S.shares, stockKey)} * ln(300000.0 / 8000)))::int8 as total_share,
  0.5 + 2.5 * ${u(seed, S.turnover, stockKey)} as turn0,
  ind.pe_lo + (ind.pe_hi - ind.pe_lo) * ${u(seed, S.pe, stockKey)} as pe0,
  ind.pb_lo + (ind.pb_hi - ind.pb_lo) * ${u(seed, S.pb, stockKey)} as pb0
from ranked r
join board bd on bd.k = r.board
join ashare_industry ind on ind.k = r.industry
join ashare_day d1 on d1.d = 1
cross join lateral (select greatest(bd.min_list, d1.cal_date - 9060) as d) lo
left join ashare_day fd on fd.d = r.first_d
left join ashare_day cd on cd.d = r.change_d;
-- listings happen on trading days: saturday moves back to friday, sunday on to monday
update ashare_stock set list_date = list_date + case when extract(isodow from list_date) = 6 then -1 else 1 end
where extract(isodow from list_date) > 5;

-- random walk of every stock on every day since its listing (suspended days included: prices move on)
create temp table ashare_walk on commit drop as
select i, d, cal_date, trade_date, first_d, ts_code, limit_pct, total_share, turn0, r,
  p0 * exp(sum(r) over w) as px,
  p0 * exp(sum(r) over w - r) as prev_px,
  ${u(seed, S.gap, dayKey)} as u_gap,
  ${u(seed, S.wickHigh, dayKey)} as u_high,
  ${u(seed, S.wickLow, dayKey)} as u_low,
  ${u(seed, S.dayTurnover, dayKey)} as u_turn,
  ${u(seed, S.suspend, dayKey)} as u_suspend,
  ${u(seed, S.peGap, dayKey)} as u_pe_gap
from (
  select s.*, d.d, d.cal_date, d.trade_date,
    -- market factor × beta + idiosyncratic noise, clipped at the board's daily limit (涨跌停)
    ln(1 + greatest(-s.limit_pct, least(s.limit_pct, s.beta * d.market + s.sigma * ${normal(seed, S.ret1, S.ret2, dayKey)}))) as r
  from ashare_stock s
  join ashare_day d on d.d >= s.first_d
) t
window w as (partition by i order by d);

-- traded days in integer units (cents, 1/100 lot...): float8 → numeric casts format text and
-- cost ~1 µs each, int8 → numeric is nearly free, and integer cents keep high ≥ close ≥ low exact
create temp table ashare_bar on commit drop as
with traded as (
  select w.*, round(px * 100) as close_c,
    -- after a suspension the previous close is the last traded one
    coalesce(lag(round(px * 100)) over (partition by i order by d), round(prev_px * 100)) as pre_c,
    turn0 * (0.6 + 0.8 * u_turn) * (1 + 10 * abs(r)) as turnover
  from ashare_walk w
  where d = first_d or u_suspend >= ${SUSPEND_RATE}
), opened as (
  select t.*, round(pre_c * (1 + 0.03 * (u_gap - 0.5))) as open_c
  from traded t
), bar as (
  select o.*,
    greatest(open_c, close_c, least(round(greatest(open_c, close_c) * (1 + 0.03 * u_high)), round(pre_c * (1 + limit_pct)))) as high_c,
    least(open_c, close_c, greatest(round(least(open_c, close_c) * (1 - 0.03 * u_low)), round(pre_c * (1 - limit_pct)))) as low_c
  from opened o
)
select i, d, ts_code, trade_date, total_share,
  open_c::int8, high_c::int8, low_c::int8, close_c::int8, pre_c::int8,
  round(turnover * 10000)::int8 as turnover_e4,
  -- vol in 手 (lots of 100 shares) = total shares (万股) × turnover (%), kept in 1/100 lot
  round(total_share * turnover * 100)::int8 as vol_e2,
  -- amount in 千元 = lots × 100 × average price / 1000, kept in 1/1000
  round(total_share * turnover * (open_c + high_c + low_c + close_c) / 4)::int8 as amount_e3,
  u_pe_gap < ${PE_NULL_RATE} as pe_missing
from bar;

-- quarterly reports from 15 months before the window, announced by the usual CSRC deadlines
create temp table ashare_report on commit drop as
with q as (
  select s.i, s.ts_code, s.first_d, s.pe0, s.pb0, s.pe_outlier, s.pb_outlier,
    (g + interval '3 months' - interval '1 day')::date as end_date,
    extract(month from g)::int + 2 as end_month,
    extract(year from g)::int * 4 + extract(quarter from g)::int as qn
  from ashare_stock s
  cross join generate_series(
    date_trunc('quarter', (select min(cal_date) from ashare_day)::timestamp) - interval '15 months',
    (select max(cal_date) from ashare_day)::timestamp,
    interval '3 months') g
), a as materialized (  -- materialized: the lookup below would otherwise recompute the hash per day
  select q.*, end_date + (case end_month
      when 3 then 20 + floor(${u(seed, S.annLag, reportKey)} * 11)   -- q1: late april
      when 6 then 30 + floor(${u(seed, S.annLag, reportKey)} * 32)   -- half year: august
      when 9 then 20 + floor(${u(seed, S.annLag, reportKey)} * 12)   -- q3: late october
      else 60 + floor(${u(seed, S.annLag, reportKey)} * 51)          -- annual: march to april 20
    end)::int as ann_date,
    ${normal(seed, S.epsNoise1, S.epsNoise2, reportKey)} as z_eps,
    ${normal(seed, S.bpsNoise1, S.bpsNoise2, reportKey)} as z_bps
  from q
), e as (
  select a.*,
    -- the trading day the news is first priced in (for a stock listed later: its first day)
    greatest(a.first_d, x.d) as d_eff
  from a
  -- lateral: evaluated once per report (a scalar subquery would be repeated at each use of d_eff);
  -- a report announced after the last trading day is not public yet and finds no row
  cross join lateral (select d from ashare_day where cal_date >= a.ann_date order by cal_date limit 1) x
)
select e.i, e.ts_code, e.ann_date, e.end_date, e.d_eff,
  -- earnings chosen so the PE on the announcement day lands near the industry norm (±10 %);
  -- the planted outliers earn a hundredth of that (PE in the thousands: near-zero profit)
  round((w.px / (e.pe0 * exp(0.1 * e.z_eps) * case when e.pe_outlier then 100 else 1 end))::numeric, 4) as eps,
  -- planted PB outliers: book value a fortieth of normal (a nearly insolvent balance sheet)
  round((w.px / (e.pb0 * exp(0.05 * e.z_bps) * case when e.pb_outlier then 40 else 1 end))::numeric, 4) as bps,
  -- trading days this report is the latest one: [d_eff, next report's d_eff); a report superseded
  -- on its own first day (annual and q1 released together) gets an empty range
  coalesce(lead(e.d_eff) over (partition by e.i order by e.ann_date, e.end_date), ${days + 1}) as d_next
from e
join ashare_walk w on w.i = e.i and w.d = e.d_eff;

create table rawdata.trade_cal (
  exchange text not null,
  cal_date text not null,
  is_open smallint not null,
  pretrade_date text,
  primary key (exchange, cal_date)
);
insert into rawdata.trade_cal
select 'SSE', to_char(g, 'YYYYMMDD'), is_open::int,
  to_char(max(g) filter (where is_open) over (order by g rows between unbounded preceding and 1 preceding), 'YYYYMMDD')
from (
  select g::date as g, extract(isodow from g) < 6 as is_open
  from generate_series((select min(cal_date) from ashare_day)::timestamp, (select max(cal_date) from ashare_day)::timestamp, interval '1 day') g
) t;

create table rawdata.stock_basic (
  ts_code text primary key,
  symbol text not null,
  name text not null,
  exchange text not null,
  market text not null,
  list_status text not null,
  list_date text not null
);
insert into rawdata.stock_basic
select ts_code, symbol, name, exchange, market, 'L', to_char(list_date, 'YYYYMMDD') from ashare_stock;

-- primary keys of the big tables are added after the load: one sorted build beats 36 000 inserts
create table rawdata.daily (
  ts_code text not null,
  trade_date text not null,
  open numeric not null,
  high numeric not null,
  low numeric not null,
  close numeric not null,
  pre_close numeric not null,
  change numeric not null,
  pct_chg numeric not null,
  vol numeric not null,
  amount numeric not null
);
insert into rawdata.daily
select ts_code, trade_date, open_c * 0.01, high_c * 0.01, low_c * 0.01, close_c * 0.01, pre_c * 0.01,
  (close_c - pre_c) * 0.01, round((close_c - pre_c) * 100.0 / nullif(pre_c, 0), 4), vol_e2 * 0.01, amount_e3 * 0.001
from ashare_bar;
alter table rawdata.daily add primary key (ts_code, trade_date);

create table rawdata.fina_indicator (
  ts_code text not null,
  ann_date text not null,
  end_date text not null,
  eps_ttm numeric,
  bps numeric,
  roe numeric,
  primary key (ts_code, end_date)
);
insert into rawdata.fina_indicator
select ts_code, to_char(ann_date, 'YYYYMMDD'), to_char(end_date, 'YYYYMMDD'), eps, bps,
  round(eps / nullif(bps, 0) * 100, 4)
from ashare_report;

create table rawdata.daily_basic (
  ts_code text not null,
  trade_date text not null,
  close numeric not null,
  turnover_rate numeric,
  pe_ttm numeric,
  pb numeric,
  total_mv numeric
);
insert into rawdata.daily_basic
select b.ts_code, b.trade_date, b.close_c * 0.01, b.turnover_e4 * 0.0001,
  -- like Tushare: no PE when earnings are not positive; plus the planted feed gaps
  case when b.pe_missing or f.eps <= 0 then null else round(b.close_c * 0.01 / f.eps, 4) end,
  round(b.close_c * 0.01 / nullif(f.bps, 0), 4),
  -- 万元, Tushare's unit: price × shares in 万股
  b.close_c * b.total_share * 0.01
from ashare_bar b
join ashare_report f on f.i = b.i and b.d >= f.d_eff and b.d < f.d_next;
alter table rawdata.daily_basic add primary key (ts_code, trade_date);

create table rawdata.index_member (
  ts_code text not null,
  industry_code text not null,
  industry_name text not null,
  in_date text not null,
  out_date text,
  is_new text not null,
  primary key (ts_code, in_date)
);
insert into rawdata.index_member
select s.ts_code, i0.code, i0.name, to_char(s.list_date, 'YYYYMMDD'),
  to_char(s.change_date, 'YYYYMMDD'), case when s.changes_industry then 'N' else 'Y' end
from ashare_stock s join ashare_industry i0 on i0.k = s.industry
union all
select s.ts_code, i1.code, i1.name, to_char(s.change_date, 'YYYYMMDD'), null, 'Y'
from ashare_stock s join ashare_industry i1 on i1.k = s.new_industry
where s.changes_industry;

${OWNERSHIP_COMMENTS}
-- a small sample is plenty for these plans (the default one took a third of the seeding time)
set local default_statistics_target = 10;
analyze rawdata.trade_cal, rawdata.stock_basic, rawdata.daily, rawdata.daily_basic, rawdata.fina_indicator, rawdata.index_member;

${VIEWS_SQL}
${VIEW_COMMENTS}
`;
}

/** Marks every object as the example's, so nobody mistakes it for real market data. */
const OWNER_NOTE = `'synthetic data of the mvwatch A-share example (examples/ashare): replaced by seedAshare, removed by dropAshare'`;
const OWNERSHIP_COMMENTS = ASHARE_TABLES.map((t) => `comment on table ${t} is ${OWNER_NOTE};`).join('\n');
const VIEW_COMMENTS = ASHARE_VIEWS.map((v) => `comment on materialized view ${v} is ${OWNER_NOTE};`).join(
  '\n',
);

/** The four views of the original platform, each with the unique index CONCURRENTLY needs. */
const VIEWS_SQL = `
-- point-in-time valuation: one row per announcement, valid until the next one, priced on the
-- first trading day the announcement is public
create materialized view materialized_views.pit_valuation_mv as
with ann as (
  select distinct on (ts_code, ann_date) ts_code, to_date(ann_date, 'YYYYMMDD') as ann_date,
    to_date(end_date, 'YYYYMMDD') as report_period
  from rawdata.fina_indicator
  order by ts_code, ann_date, end_date desc
), iv as (
  select ts_code, report_period, ann_date as valid_from,
    lead(ann_date) over (partition by ts_code order by ann_date) as valid_to
  from ann
)
select iv.ts_code, iv.report_period, iv.valid_from, iv.valid_to, v.priced_on, v.pe_ttm, v.pb, v.total_mv
from iv
join lateral (
  select to_date(b.trade_date, 'YYYYMMDD') as priced_on, b.pe_ttm, b.pb, b.total_mv
  from rawdata.daily_basic b
  where b.ts_code = iv.ts_code and b.trade_date >= to_char(iv.valid_from, 'YYYYMMDD')
  order by b.trade_date
  limit 1
) v on true
-- an announcement superseded before its first trading day was never in force
where iv.valid_to is null or v.priced_on < iv.valid_to;
create unique index pit_valuation_mv_key on materialized_views.pit_valuation_mv (ts_code, valid_from);

-- point-in-time industry classification (valid_to null: still valid)
create materialized view materialized_views.pit_industry_mv as
select ts_code, industry_code, industry_name,
  to_date(in_date, 'YYYYMMDD') as valid_from,
  to_date(out_date, 'YYYYMMDD') as valid_to
from rawdata.index_member;
create unique index pit_industry_mv_key on materialized_views.pit_industry_mv (ts_code, valid_from);

-- market-wide technical statistics per trading day
create materialized view materialized_views.market_stats_daily_mv as
select to_date(trade_date, 'YYYYMMDD') as trade_date,
  count(*)::integer as stock_count,
  round((percentile_cont(0.25) within group (order by close::float8))::numeric, 4) as close_q1,
  round((percentile_cont(0.5) within group (order by close::float8))::numeric, 4) as close_median,
  round((percentile_cont(0.75) within group (order by close::float8))::numeric, 4) as close_q3,
  round((percentile_cont(0.5) within group (order by pct_chg::float8))::numeric, 4) as pct_chg_median,
  sum(vol) as vol_total,
  sum(amount) as amount_total,
  (count(*) filter (where close > pre_close))::integer as advancers,
  (count(*) filter (where close < pre_close))::integer as decliners,
  (count(*) filter (where close = pre_close))::integer as unchanged
from rawdata.daily
group by trade_date;
create unique index market_stats_daily_mv_key on materialized_views.market_stats_daily_mv (trade_date);

-- the same statistics per trading day and industry, with the industry valid on that day
create materialized view materialized_views.sector_daily_mv as
select x.trade_day as trade_date, m.industry_code, m.industry_name,
  count(*)::integer as stock_count,
  round((percentile_cont(0.25) within group (order by x.close::float8))::numeric, 4) as close_q1,
  round((percentile_cont(0.5) within group (order by x.close::float8))::numeric, 4) as close_median,
  round((percentile_cont(0.75) within group (order by x.close::float8))::numeric, 4) as close_q3,
  round((percentile_cont(0.5) within group (order by x.pct_chg::float8))::numeric, 4) as pct_chg_median,
  sum(x.vol) as vol_total,
  sum(x.amount) as amount_total,
  (count(*) filter (where x.close > x.pre_close))::integer as advancers,
  (count(*) filter (where x.close < x.pre_close))::integer as decliners,
  (count(*) filter (where x.close = x.pre_close))::integer as unchanged
from (select d.*, to_date(d.trade_date, 'YYYYMMDD') as trade_day from rawdata.daily d) x
join materialized_views.pit_industry_mv m
  on m.ts_code = x.ts_code and x.trade_day >= m.valid_from and (m.valid_to is null or x.trade_day < m.valid_to)
group by x.trade_day, m.industry_code, m.industry_name;
create unique index sector_daily_mv_key on materialized_views.sector_daily_mv (trade_date, industry_code);
`;
