import { performance } from 'node:perf_hooks';
import pg from 'pg';

/** The server benchmarks run on (the system server by default; never a mock). */
export function benchUrl(): string {
  return process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** Drops and recreates a database of its own for one benchmark; returns its URL. */
export async function benchDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: benchUrl() });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(benchUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** Times `fn` once, in milliseconds. */
export async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export function fmt(ms: number): string {
  return `${ms.toFixed(3)} ms`;
}
