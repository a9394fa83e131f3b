/**
 * Alert lifecycle throughput (issue 4): 100 000 observations over 1 000 fingerprints written by
 * 4 concurrent connections, into a database of its own (`mvwatch_bench_alerts`). Prints
 * observations per second (median of 3 runs) and the number of incidents, which must be 1 000.
 * Two write paths: `observeMany` (one transaction and one write statement per batch) and
 * `observeRun` (one per observation, on a smaller share: it is bounded by one commit each).
 *
 *   node --import tsx bench/alerts.ts          DATABASE_URL defaults to the local server
 */
import { pathToFileURL } from 'node:url';
import { MaterializedViewAlerting } from '../src/alerts/alerting.js';
import type { RunObservation } from '../src/alerts/observations.js';
import { createDb, type Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { benchDatabase, median } from './util.js';

const DATABASE = 'mvwatch_bench_alerts';
const OBSERVATIONS = 100_000;
const FINGERPRINTS = 1_000;
const CONNECTIONS = 4;
// Big enough to amortise the commit, small enough that a batch's locks are held briefly.
const BATCH = 500;
const RUNS = 3;
// observeRun pays a commit per observation: a tenth of the volume measures its rate well enough.
const SINGLE_OBSERVATIONS = 10_000;

export interface AlertsBenchResult {
  batch: { observationsPerSecond: number; runs: number[]; incidents: number };
  single: { observationsPerSecond: number; incidents: number };
}

/** The benchmark's own database, recreated by run(). */
let url = '';

const startedAt = new Date().toISOString();

/** A failed refresh of view `bench.v<n>`: one fingerprint per view. */
function observation(n: number): RunObservation {
  return {
    refresh: {
      view: `bench.v${n}`,
      status: 'failed',
      strategy: 'full',
      usedStrategy: 'full',
      fallback: false,
      startedAt,
      finishedAt: startedAt,
      durationMs: 12,
      rowCount: null,
      runId: null,
      error: { message: 'division by zero', sqlstate: '22012', kind: 'error' },
    },
    checks: [],
    labels: { team: 'bench' },
  };
}

/**
 * The fingerprint of connection `c`'s `j`-th observation: every connection walks all 1 000
 * fingerprints at its own offset, so connections contend for the same incidents.
 */
function fingerprintOf(c: number, j: number): number {
  return (j * 7 + c * 251) % FINGERPRINTS;
}

async function reset(db: Db): Promise<void> {
  // cascade: other tables (deliveries) may reference incidents.
  await db.query(
    `truncate ${db.s}.materialized_views_alert_events, ${db.s}.materialized_views_alerts cascade`,
  );
}

async function incidents(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*) as n from ${db.s}.materialized_views_alerts`,
  );
  return rows[0]!.n;
}

/** Runs `total` observations on 4 connections; returns observations per second. */
async function timed(
  total: number,
  write: (alerting: MaterializedViewAlerting, c: number, share: number) => Promise<void>,
): Promise<number> {
  const dbs = Array.from({ length: CONNECTIONS }, () => createDb({ url, max: 1 }));
  try {
    const t0 = performance.now();
    await Promise.all(dbs.map((db, c) => write(new MaterializedViewAlerting(db), c, total / CONNECTIONS)));
    return Math.round(total / ((performance.now() - t0) / 1000));
  } finally {
    await Promise.all(dbs.map((d) => d.close()));
  }
}

async function batchRun(): Promise<number> {
  return timed(OBSERVATIONS, async (alerting, c, share) => {
    for (let j = 0; j < share; j += BATCH) {
      const batch: RunObservation[] = [];
      for (let k = j; k < Math.min(j + BATCH, share); k++) batch.push(observation(fingerprintOf(c, k)));
      await alerting.observeMany(batch);
    }
  });
}

async function singleRun(): Promise<number> {
  return timed(SINGLE_OBSERVATIONS, async (alerting, c, share) => {
    for (let j = 0; j < share; j++) await alerting.observeRun(observation(fingerprintOf(c, j)));
  });
}

export async function run(): Promise<AlertsBenchResult> {
  url = await benchDatabase(DATABASE);
  const db = createDb({ url, max: 2 });
  try {
    await migrate(db);
    const runs: number[] = [];
    let batchIncidents = 0;
    for (let i = 0; i < RUNS; i++) {
      await reset(db);
      runs.push(await batchRun());
      batchIncidents = await incidents(db);
      console.log(
        `alerts bench: observeMany run ${i + 1}: ${runs[i]} observations/s, ${batchIncidents} incidents`,
      );
    }
    await reset(db);
    const single = await singleRun();
    const singleIncidents = await incidents(db);
    const result: AlertsBenchResult = {
      batch: { observationsPerSecond: median(runs), runs, incidents: batchIncidents },
      single: { observationsPerSecond: single, incidents: singleIncidents },
    };
    console.log(
      `alerts bench: observeMany (batches of ${BATCH}): ${result.batch.observationsPerSecond} observations/s (median of ${RUNS}), ` +
        `${OBSERVATIONS} observations over ${FINGERPRINTS} fingerprints on ${CONNECTIONS} connections → ${batchIncidents} incidents`,
    );
    console.log(
      `alerts bench: observeRun (one transaction each): ${single} observations/s on ${SINGLE_OBSERVATIONS} observations → ${singleIncidents} incidents`,
    );
    if (batchIncidents !== FINGERPRINTS || singleIncidents !== FINGERPRINTS)
      throw new Error(`expected ${FINGERPRINTS} incidents, got ${batchIncidents} / ${singleIncidents}`);
    return result;
  } finally {
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
