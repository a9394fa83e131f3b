import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../../src/cli/entry.ts', import.meta.url));
// Resolved here, not from the child's cwd (tests run the CLI in temporary folders).
const TSX = import.meta.resolve('tsx');

/**
 * The node arguments that start the CLI. `npm test` compiles src/ first and names the compiled
 * entry in MVWATCH_TEST_BUILT_CLI: a compiled start costs a third of the CPU of one through tsx,
 * and the suite starts the CLI a hundred times. A test file run on its own uses the source.
 */
export function cliArgs(): string[] {
  const built = process.env.MVWATCH_TEST_BUILT_CLI;
  return built ? [built] : ['--import', TSX, ENTRY];
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json<T = unknown>(): T;
}

/** Runs the real CLI in a child process (see cliArgs) against `env`. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd?: string,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliArgs(), ...args], {
      env: { ...process.env, ...env },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        json: <T>() => {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`stdout is not JSON (exit ${code}):\n${stdout}\nstderr:\n${stderr}`);
          }
        },
      }),
    );
  });
}
