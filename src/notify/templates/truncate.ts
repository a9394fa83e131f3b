/** Byte-limited truncation for platforms that count UTF-8 bytes (WeCom 4096, PostgreSQL NOTIFY 8000). */

/** Appended where text was cut, so a reader knows the message is incomplete. */
export const TRUNCATION_MARKER = '\n…(truncated)';

/**
 * Cuts `text` so that it plus `marker` fits in `maxBytes` UTF-8 bytes, never inside a character
 * (a multibyte Chinese character or an emoji is kept whole or dropped whole). Text that already
 * fits comes back unchanged, without the marker.
 */
export function truncateUtf8(text: string, maxBytes: number, marker: string = TRUNCATION_MARKER): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(marker, 'utf8');
  if (budget <= 0) return Buffer.from(marker, 'utf8').subarray(0, Math.max(0, maxBytes)).toString('utf8');
  let end = budget;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that was cut.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8') + marker;
}
