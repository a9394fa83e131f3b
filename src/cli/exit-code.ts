/**
 * Commander discards what actions return, so command bodies report their exit code here and
 * main() collects it. Module state, reset on every main() call (tests call main repeatedly).
 */
let code = 0;

export function setExitCode(value: number): void {
  code = Math.max(code, value);
}

export function resetExitCode(): void {
  code = 0;
}

export function takeExitCode(): number {
  const out = code;
  code = 0;
  return out;
}
