/**
 * `npm run bench [name...]`: runs the benchmarks (default: all) one after another and prints
 * medians and ratios against each issue's baseline. Needs a PostgreSQL (DATABASE_URL, default
 * the system server on 127.0.0.1:5432).
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'util.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : available;
for (const name of wanted) {
  if (!existsSync(`${dir}/${name}.ts`)) {
    console.error(`No benchmark named ${name}. Available: ${available.join(', ')}`);
    process.exit(2);
  }
  const mod = (await import(`./${name}.js`)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') continue;
  await mod.run();
  console.log('');
}
