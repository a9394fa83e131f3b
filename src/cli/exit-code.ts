/**
 * Commander discards what actions return, so command bodies report their exit code here and
 * main() collects it. Module state, reset on every main() call (tests call main repeatedly).
 */
let code = 0;

/** Records a command's exit code (the highest one wins). */
export function setExitCode(value: number): void {
  code = Math.max(code, value);
}

/** Forgets any earlier code (start of main()). */
export function resetExitCode(): void {
  code = 0;
}

/** The code to exit with, reset for the next run. */
export function takeExitCode(): number {
  const out = code;
  code = 0;
  return out;
}
