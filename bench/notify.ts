/**
 * bench/notify: 1,000 distinct incidents (one view each) routed to a local webhook receiver with
 * `groupWait: 0`, written by concurrent alert writers while one worker process delivers them.
 * Prints p50 / p99 latency from the alert's commit to the receiver's receipt, and deliveries per
 * second over the whole run. Targets: p99 < 500 ms, >= 200 deliveries/s.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { MaterializedViewAlerting } from '../src/alerts/alerting.js';
import { buildConfig } from '../src/config/load.js';
import { createDb } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { startWorker } from '../src/jobs/worker.js';
import { createNotifier } from '../src/notify/notifier.js';
import { benchDatabase, percentile } from './util.js';

const INCIDENTS = 1_000;
/** Incidents sent before measuring: connections, plans and the JIT warm up. */
const WARMUP = 50;
/** Alert writers at once (refreshes finishing on several views at the same time). */
const WRITERS = 8;

export async function run(): Promise<void> {
  const url = await benchDatabase('mvwatch_bench_notify');
  const db = createDb({ url, max: WRITERS + 4 });
  await migrate(db);

  const received = new Map<number, number>();
  let waiting: (() => void) | undefined;
  let expected = Number.POSITIVE_INFINITY;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const i of body.incidents as { id: number }[]) received.set(i.id, at);
      res.writeHead(204).end();
      if (received.size >= expected) waiting?.();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;

  const config = buildConfig(
    {
      notify: {
        channels: { hook: { type: 'webhook', url: `http://127.0.0.1:${port}/hook`, secret: 'bench-secret' } },
        routes: [{ channels: ['hook'], groupWait: '0s' }],
        delivery: { concurrency: 16 },
      },
    },
    { env: {} },
  );
  const notifier = createNotifier(db, config);
  await notifier.prepare();
  const alerting = new MaterializedViewAlerting(db, { onTransitions: notifier.onTransitions });

  /**
   * Raises `n` incidents on fresh views with WRITERS concurrent writers. Returns, per incident id,
   * when its write was started and when the writer saw it committed. The commit itself happens
   * between the two and cannot be timed from here.
   */
  const write = async (prefix: string, n: number) => {
    const times = new Map<number, { started: number; committed: number }>();
    let next = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let i = next++; i < n; i = next++) {
          const started = performance.now();
          const id = await alerting.alertRefreshFailed(`public.${prefix}_${i}`, 'bench failure', 'full', 1);
          times.set(id, { started, committed: performance.now() });
        }
      }),
    );
    return times;
  };
  const allReceived = (n: number) => {
    expected = received.size + n;
    return new Promise<void>((r) => {
      waiting = r;
    });
  };
  const lastReceipt = (ids: Iterable<number>) => Math.max(...[...ids].map((id) => received.get(id)!));

  // Throughput: 1,000 incidents committed while no worker runs, then one worker drains them.
  const backlog = await write('backlog', INCIDENTS);
  let arrived = allReceived(INCIDENTS);
  const drainStart = performance.now();
  let worker = await startWorker(db, config, { alerting });
  await arrived;
  const drainSeconds = (lastReceipt(backlog.keys()) - drainStart) / 1000;
  await worker.stop();

  // Latency: 1,000 incidents written by concurrent writers while a worker runs.
  worker = await startWorker(db, config, { alerting });
  arrived = allReceived(WARMUP);
  await write('warm', WARMUP);
  await arrived;
  arrived = allReceived(INCIDENTS);
  const liveStart = performance.now();
  const live = await write('live', INCIDENTS);
  const writeSeconds = (performance.now() - liveStart) / 1000;
  await arrived;
  const liveSeconds = (lastReceipt(live.keys()) - liveStart) / 1000;
  await worker.stop();
  await db.close();
  server.closeAllConnections();
  server.close();

  // The COMMIT lies between the write's start and the writer seeing it return; a fast worker can
  // deliver before the writer resumes. So: an upper bound (from the write's start, the alert's own
  // transaction included) and a lower bound (from the return, which may be after the receipt).
  const upper = [...live].map(([id, t]) => received.get(id)! - t.started);
  const lower = [...live].map(([id, t]) => received.get(id)! - t.committed);
  const early = lower.filter((ms) => ms < 0).length;
  console.log(
    `notify: ${INCIDENTS} distinct incidents → local webhook, groupWait 0, 1 worker (concurrency 16)`,
  );
  console.log(
    `  drain      ${(INCIDENTS / drainSeconds).toFixed(0)} deliveries/s (${INCIDENTS} queued, delivered in ${drainSeconds.toFixed(2)} s incl. worker start; target >= 200/s)`,
  );
  console.log(
    `  live       alert write start → receipt p50 ${percentile(upper, 50).toFixed(1)} ms, p99 ${percentile(upper, 99).toFixed(1)} ms (upper bound of commit → receipt; target p99 < 500 ms)`,
  );
  console.log(
    `             write returned → receipt p50 ${percentile(lower, 50).toFixed(1)} ms, p99 ${percentile(lower, 99).toFixed(1)} ms (lower bound; ${early} of ${lower.length} received before their write returned)`,
  );
  console.log(
    `             ${WRITERS} writers committed ${INCIDENTS} alerts in ${writeSeconds.toFixed(2)} s (${(INCIDENTS / writeSeconds).toFixed(0)}/s); all received after ${liveSeconds.toFixed(2)} s (${(INCIDENTS / liveSeconds).toFixed(0)} deliveries/s)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
