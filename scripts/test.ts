/**
 * `npm test`: runs the whole suite against a real PostgreSQL.
 * - With DATABASE_URL (CI: the system server), the suite runs there, then the smoke tests
 *   (test/smoke) run again against the embedded server, so both paths are exercised.
 * - Without it, the embedded PostgreSQL is started under .mvwatch-test/ and everything runs there.
 * Extra arguments are test files to run instead of all of them.
 * src/ is compiled first (as `npm run build` does): the tests start that compiled CLI, a third of
 * the CPU per start of one through tsx (test/helpers/cli.ts).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ensureEmbedded } from '../src/db/embedded.js';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (entry.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

function run(files: string[], env: NodeJS.ProcessEnv): number {
  if (files.length === 0) return 0;
  const r = spawnSync(
    process.execPath,
    // Four files at once: the work is PostgreSQL round trips, not CPU, even on 2 cores. A test
    // that hangs fails after 10 minutes instead of holding CI until its deadline. The limit also
    // applies to each file as a whole: the CLI file takes about 2 minutes, 3–4 on a loaded machine.
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-concurrency=4',
      '--test-timeout=600000',
      ...files,
    ],
    { stdio: 'inherit', env },
  );
  return r.status ?? 1;
}

async function withEmbedded(): Promise<{ url: string; stop: () => Promise<void> }> {
  // Its own folder and port, so a running `mvwatch serve` or demo is never touched by tests.
  const server = await ensureEmbedded({
    dir: '.mvwatch-test',
    port: Number(process.env.MVWATCH_TEST_PORT) || 54339,
  });
  return { url: server.url, stop: server.stop };
}

/** Compiles src/ to dist/ and returns the compiled CLI entry; exits when the build fails. */
function buildCli(): string {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('mvwatch tests: src/ does not compile (npm run build); no test was run.');
    process.exit(1);
  }
  return resolve('dist/src/cli/entry.js');
}

process.env.MVWATCH_TEST_BUILT_CLI = buildCli();
const requested = process.argv.slice(2);
const all = requested.length ? requested : findTests('test');
const smoke = all.filter((f) => f.includes(`test${'/'}smoke${'/'}`));
let status = 0;

if (process.env.DATABASE_URL) {
  console.log(`mvwatch tests: ${all.length} files against DATABASE_URL`);
  status = run(all, process.env) || status;
  if (smoke.length) {
    const embedded = await withEmbedded();
    console.log(`mvwatch tests: ${smoke.length} smoke files against the embedded PostgreSQL`);
    status = run(smoke, { ...process.env, DATABASE_URL: embedded.url }) || status;
    await embedded.stop();
  }
} else {
  const embedded = await withEmbedded();
  console.log(`mvwatch tests: ${all.length} files against the embedded PostgreSQL`);
  status = run(all, { ...process.env, DATABASE_URL: embedded.url });
  await embedded.stop();
}
process.exit(status);
