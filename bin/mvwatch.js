#!/usr/bin/env node
// The built CLI: `npm install` runs `prepare`, which compiles src/ to dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/entry.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'mvwatch: the CLI is not built yet. Run `npm install` (or `npm run build`) in the mvwatch folder.\n',
  );
  process.exit(2);
}
await import(entry.href);
