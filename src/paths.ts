import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The mvwatch package folder, found from both `src/` (tsx) and `dist/src/` (built). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'sql', 'migrations'))) {
      root = dir;
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Error('Cannot find the mvwatch package folder (package.json next to sql/migrations).');
}
