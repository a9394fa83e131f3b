import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../config/duration.js';
import { REFRESH_STRATEGIES, type RefreshStrategy } from '../types.js';

/** Commander argument parsers: a bad value is a usage error (exit 2) naming the option. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of 0 or more.');
  return n;
}

/** A row id parser whose error names the kind of id (`alert`, `delivery`, `silence`). */
export function idOf(what: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) {
      throw new InvalidArgumentError(
        `expected ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} id (a positive whole number).`,
      );
    }
    return n;
  };
}

/** `ack 42`-style arguments. */
export const alertId = idOf('alert');

/** `--timeout 30s`-style options: a positive duration in ms. */
export function duration(value: string): number {
  return parseCliDuration(value, false);
}

/** `--wait 0s`-style options: a duration in ms, zero allowed. */
export function durationOrZero(value: string): number {
  return parseCliDuration(value, true);
}

function parseCliDuration(value: string, zeroAllowed: boolean): number {
  const ms = parseDuration(value);
  if (ms === null || ms < 0 || (ms === 0 && !zeroAllowed))
    throw new InvalidArgumentError(
      `expected a duration such as ${zeroAllowed ? '0s, ' : ''}500ms, 30s, 10m or 1h.`,
    );
  return ms;
}

/** `--strategy`: full, concurrent or auto. */
export function strategy(value: string): RefreshStrategy {
  if (!REFRESH_STRATEGIES.includes(value as RefreshStrategy)) {
    throw new InvalidArgumentError(`expected one of ${REFRESH_STRATEGIES.join(', ')}.`);
  }
  return value as RefreshStrategy;
}

/** Validates a value against a fixed list. */
export function oneOf<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    if (!values.includes(value as T)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}.`);
    return value as T;
  };
}
