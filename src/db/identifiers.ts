import { MvwatchError } from '../errors.js';

/** A parsed, schema-qualified relation name. Both parts are the exact catalog spelling. */
export interface QualifiedName {
  schema: string;
  name: string;
}

/** PostgreSQL's NAMEDATALEN - 1: longer identifiers are silently truncated by the server. */
export const MAX_IDENTIFIER_BYTES = 63;

const UNQUOTED_PART = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/;
const PLAIN_LOWERCASE = /^[a-z_][a-z0-9_$]*$/;

/** Quotes one identifier by doubling `"` (Kysely, postgres.js). Never splits on dots. */
export function quoteIdent(part: string): string {
  return `"${part.replaceAll('"', '""')}"`;
}

/** `"schema"."name"`, safe to splice into SQL. */
export function quoteQualified(q: QualifiedName): string {
  return `${quoteIdent(q.schema)}.${quoteIdent(q.name)}`;
}

/** A part as a person would write it: bare when PostgreSQL would read it back unchanged. */
function displayPart(part: string): string {
  return PLAIN_LOWERCASE.test(part) ? part : quoteIdent(part);
}

/** Canonical display name, `schema.name`; parses back to the same parts. */
export function formatQualified(q: QualifiedName): string {
  return `${displayPart(q.schema)}.${displayPart(q.name)}`;
}

function invalid(input: string, why: string): MvwatchError {
  return new MvwatchError(
    'MVW_INVALID_VIEW_NAME',
    `Invalid view name ${JSON.stringify(input)}: ${why}. Use schema.name, or double quotes for other characters ("Sales 2024"."Daily View").`,
  );
}

/**
 * Parses `name`, `schema.name` or double-quoted parts the way PostgreSQL does: unquoted parts
 * fold to lower case, quoted parts keep every character (`""` is one `"`). A bare name means
 * `defaultSchema` (default `public`). Anything else, or a part over 63 bytes, is an error;
 * the input never reaches SQL.
 */
export function parseQualifiedName(input: string, defaultSchema = 'public'): QualifiedName {
  const parts: string[] = [];
  let rest = input.trim();
  if (rest === '') throw invalid(input, 'the name is empty');
  for (;;) {
    let part: string;
    if (rest.startsWith('"')) {
      let i = 1;
      part = '';
      for (;;) {
        const q = rest.indexOf('"', i);
        if (q < 0) throw invalid(input, 'a double quote is not closed');
        part += rest.slice(i, q);
        if (rest[q + 1] === '"') {
          part += '"';
          i = q + 2;
          continue;
        }
        rest = rest.slice(q + 1);
        break;
      }
      if (part === '') throw invalid(input, 'a quoted part is empty');
    } else {
      const m = UNQUOTED_PART.exec(rest);
      if (!m) throw invalid(input, `unexpected character ${JSON.stringify(rest[0])}`);
      part = m[0].toLowerCase();
      rest = rest.slice(m[0].length);
    }
    if (Buffer.byteLength(part, 'utf8') > MAX_IDENTIFIER_BYTES) {
      throw invalid(
        input,
        `"${part.slice(0, 20)}…" is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES}-byte limit`,
      );
    }
    parts.push(part);
    if (rest === '') break;
    if (!rest.startsWith('.')) throw invalid(input, `unexpected character ${JSON.stringify(rest[0])}`);
    rest = rest.slice(1);
    if (parts.length === 2) throw invalid(input, 'expected at most schema.name');
  }
  if (parts.length === 1) return { schema: defaultSchema, name: parts[0]! };
  return { schema: parts[0]!, name: parts[1]! };
}

/**
 * Validates a raw identifier such as the state schema (`--schema "Odd Schema"` is that exact
 * name; it is quoted wherever it reaches SQL): non-empty and within 63 bytes.
 */
export function validateIdentifier(input: string, what = 'schema name'): string {
  if (input === '' || Buffer.byteLength(input, 'utf8') > MAX_IDENTIFIER_BYTES || input.includes('\0')) {
    throw new MvwatchError(
      'MVW_INVALID_ARGUMENT',
      `Invalid ${what} ${JSON.stringify(input)}: it must be 1 to ${MAX_IDENTIFIER_BYTES} bytes long.`,
    );
  }
  return input;
}
