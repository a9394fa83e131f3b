/**
 * Owners from the labels `owner` / `owners` (comma separated), sorted into what each platform can
 * mention: mobiles (DingTalk, WeCom text), Slack member ids, Feishu open ids, WeCom and DingTalk
 * user ids, emails. A value may name its kind with a prefix (`slack:U024BE7LH`, `feishu:ou_ab12`,
 * `wecom:zhangsan`, `dingtalk:manager123`, `mobile:13800000000`, `email:a@b.c`); without one it is
 * recognised by shape, and anything else is a plain name.
 */
import type { NotifiedAlert } from '../types.js';

/** The owners of a notification, by kind, each list without duplicates. */
export interface Owners {
  /** Every owner as written (prefix removed), for display. */
  all: string[];
  mobiles: string[];
  emails: string[];
  /** Slack member ids (`U…`, `W…`), mentioned as `<@U…>`. */
  slack: string[];
  /** Feishu / Lark open ids (`ou_…`) or user ids given with `feishu:`. */
  feishu: string[];
  /** WeCom user ids (`wecom:` prefix only: their shape is free). */
  wecom: string[];
  /** DingTalk user ids (`dingtalk:` prefix only). */
  dingtalk: string[];
}

/** Mainland and international mobile numbers: optional `+`, 7 to 15 digits (E.164's maximum). */
const MOBILE = /^\+?\d{7,15}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Slack member ids: `U` (user) or `W` (enterprise user), then 8+ upper-case letters or digits. */
const SLACK_ID = /^[UW][A-Z0-9]{8,}$/;
/** Feishu open ids and union ids. */
const FEISHU_ID = /^o[un]_[0-9a-z]+$/;

const PREFIXES = ['slack', 'feishu', 'lark', 'wecom', 'dingtalk', 'mobile', 'email'] as const;

/** Collects owners from every alert's labels (`owner` and `owners`, comma separated). */
export function ownersOf(alerts: readonly NotifiedAlert[]): Owners {
  const out: Owners = { all: [], mobiles: [], emails: [], slack: [], feishu: [], wecom: [], dingtalk: [] };
  const add = (list: string[], v: string) => {
    if (!list.includes(v)) list.push(v);
  };
  for (const alert of alerts) {
    const raw = [alert.labels?.owner, alert.labels?.owners].filter(Boolean).join(',');
    for (const entry of raw.split(',')) {
      const trimmed = entry.trim();
      if (!trimmed) continue;
      const [kind, value] = splitPrefix(trimmed);
      add(out.all, value);
      if (kind === 'mobile' || (!kind && MOBILE.test(value.replace(/[\s-]/g, '')))) {
        add(out.mobiles, value.replace(/[\s-]/g, ''));
      } else if (kind === 'email' || (!kind && EMAIL.test(value))) add(out.emails, value);
      else if (kind === 'slack' || (!kind && SLACK_ID.test(value))) add(out.slack, value);
      else if (kind === 'feishu' || kind === 'lark' || (!kind && FEISHU_ID.test(value)))
        add(out.feishu, value);
      else if (kind === 'wecom') add(out.wecom, value);
      else if (kind === 'dingtalk') add(out.dingtalk, value);
    }
  }
  return out;
}

function splitPrefix(entry: string): [string | undefined, string] {
  const i = entry.indexOf(':');
  if (i > 0) {
    const kind = entry.slice(0, i).toLowerCase();
    if ((PREFIXES as readonly string[]).includes(kind)) return [kind, entry.slice(i + 1).trim()];
  }
  return [undefined, entry];
}
