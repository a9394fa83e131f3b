/**
 * Knobs of the exact-but-fast strategies. They only decide how much work the fast paths do and
 * how often a fallback runs, never a result. Tests change them to force the fallbacks.
 */
export const TUNING = {
  /**
   * Pages read by the block sample (pass 0): ~300 pages hold tens of thousands of rows, enough
   * to place a quantile within a fraction of a percent of its rank.
   */
  samplePages: 300,
  /**
   * Half-width, in rank fraction, of the bracket collected around each estimated quantile: 1 %
   * is several standard errors of a 300-page sample, yet keeps only 2 % of the values.
   */
  bracket: 0.01,
  /** Bits of the duplicate screen's key hash kept; fewer force collisions (tests only). */
  hashBits: 64,
};

/** TABLESAMPLE SYSTEM percentage reading about `samplePages`; null when the relation has no pages to sample. */
export function samplePercent(pages: number | null): number | null {
  if (pages === null) return null;
  // Empty or tiny relations: the "sample" is the whole relation, which costs next to nothing.
  if (pages <= TUNING.samplePages) return 100;
  return (100 * TUNING.samplePages) / pages;
}
