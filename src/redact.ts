/**
 * Keeps secrets out of delivery errors and logs (STYLE §7, Alertmanager's `RedactURL`).
 * Chat webhooks carry their credential in the URL itself, so every URL a channel reports is
 * passed through here, and so is every error text, with the channel's configured secrets.
 */

/** What replaces a secret. */
export const REDACTED = '***';

/** Query keys whose values are credentials (WeCom `key`, DingTalk `access_token` and `sign`, ...). */
const SECRET_QUERY_KEY = /token|key|secret|sign|pass|auth|credential|session/i;

/**
 * Path segments after which the rest of the path is the credential: Slack
 * `/services/T…/B…/xyz`, Feishu and Lark `/bot/v2/hook/<uuid>`, generic `/hooks/<token>`.
 */
const SECRET_PATH = /\/(services|hook|hooks)\/[^/?#]+(\/[^?#]*)?/i;

/** URLs inside free text, for redacting messages that quote them (undici and amqplib do). */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** `token=abc` pairs outside a parsable URL (a truncated URL, a body echoing the query). */
const SECRET_PAIR = /\b([a-z_]*(?:token|key|secret|sign|pass(?:word)?)[a-z_]*)=([^&\s"'<>]+)/gi;

/** Shorter literals are left alone: redacting `a` or `12` would mangle every message. */
const MIN_SECRET_LENGTH = 4;

/**
 * `https://user:pw@host/hook/abc?key=k&x=1` → `https://user:***@host/hook/***?key=***&x=1`.
 * Redacts the userinfo password, credential-like query values and webhook path tokens. Text that
 * is not a URL comes back with `key=value` credential pairs redacted.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url
      .replace(/\/\/([^:/@\s]+):[^@\s]*@/, `//$1:${REDACTED}@`)
      .replace(SECRET_PAIR, `$1=${REDACTED}`);
  }
  if (u.password) u.password = REDACTED;
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_QUERY_KEY.test(key)) u.searchParams.set(key, REDACTED);
  }
  u.pathname = u.pathname.replace(SECRET_PATH, (_m, segment: string) => `/${segment}/${REDACTED}`);
  // URLSearchParams percent-encodes `*`; keep the marker readable.
  return u.toString().replaceAll('%2A%2A%2A', REDACTED);
}

/**
 * Redacts free text: every URL in it (see redactUrl), `token=…`-style pairs, and each literal
 * secret given (also in its percent-encoded form, as it appears inside URLs). Secrets shorter than
 * 4 characters are ignored. Returns the text unchanged when there is nothing to hide.
 */
export function redact(text: string, secrets: readonly (string | undefined | null)[] = []): string {
  let out = text
    .replace(URL_IN_TEXT, (match) => {
      // Punctuation after a URL (`…/hook/abc: 404`) belongs to the sentence, not the path.
      const url = match.replace(/[.,:;!?)\]]+$/, '');
      return redactUrl(url) + match.slice(url.length);
    })
    .replace(SECRET_PAIR, `$1=${REDACTED}`);
  // Longest first, so a secret that contains another is replaced whole.
  const literals = secrets
    .filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)
    .flatMap((s) => [s, encodeURIComponent(s)])
    .sort((a, b) => b.length - a.length);
  for (const s of literals) out = out.replaceAll(s, REDACTED);
  return out;
}
