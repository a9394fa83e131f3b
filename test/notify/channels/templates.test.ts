import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownersOf, renderNotification } from '../../../src/notify/templates/index.js';
import type { Transition } from '../../../src/notify/types.js';
import { sampleAlert, sampleNotification } from './helpers.js';

const TITLES: Record<'en' | 'zh', Record<Transition, string>> = {
  en: {
    firing: '[FIRING] ERROR Refresh failed: analytics.sector_daily_mv',
    escalated: '[ESCALATED] ERROR Refresh failed: analytics.sector_daily_mv',
    resolved: '[RESOLVED] ERROR Refresh failed: analytics.sector_daily_mv',
    repeat: '[STILL FIRING] ERROR Refresh failed: analytics.sector_daily_mv',
  },
  zh: {
    firing: '【告警】错误 刷新失败: analytics.sector_daily_mv',
    escalated: '【告警升级】错误 刷新失败: analytics.sector_daily_mv',
    resolved: '【已恢复】错误 刷新失败: analytics.sector_daily_mv',
    repeat: '【持续告警】错误 刷新失败: analytics.sector_daily_mv',
  },
};

test('every transition in English and Chinese: title, text, markdown and HTML', () => {
  for (const locale of ['en', 'zh'] as const) {
    for (const transition of ['firing', 'escalated', 'resolved', 'repeat'] as const) {
      const resolved = transition === 'resolved';
      const n = sampleNotification({
        locale,
        transition,
        alerts: [
          sampleAlert({
            status: resolved ? 'resolved' : 'firing',
            resolvedAt: resolved ? '2024-05-01T09:00:00.000Z' : null,
          }),
        ],
      });
      const out = renderNotification(n);
      const where = `${locale}/${transition}`;
      assert.equal(out.title, TITLES[locale][transition], where);
      assert.ok(out.text.startsWith(`${out.title}\n`), where);
      assert.ok(out.markdown.startsWith(`### ${out.title}\n`), where);
      assert.ok(out.html.includes(`<h2 style="color:${resolved ? '#1a7f37' : '#cf222e'}`), where);
      const words =
        locale === 'en'
          ? [
              'Occurrences: 3',
              'First seen: 2024-05-01 08:00:00 UTC',
              'Last seen: 2024-05-01 08:30:00 UTC',
              'Open in dashboard',
            ]
          : [
              '次数: 3',
              '首次出现: 2024-05-01 08:00:00 UTC',
              '最近出现: 2024-05-01 08:30:00 UTC',
              '在仪表盘中查看',
            ];
      for (const w of words) {
        assert.ok(out.text.includes(w), `${where} text has ${w}`);
        assert.ok(out.markdown.includes(w), `${where} markdown has ${w}`);
      }
      assert.ok(out.text.includes('relation "raw.trades" does not exist'), where);
      assert.equal(out.text.includes(locale === 'en' ? 'Resolved at' : '恢复时间'), resolved, where);
    }
  }
});

test('several alerts: most severe first, a summary title, and at most 10 listed', () => {
  const alerts = Array.from({ length: 14 }, (_, i) =>
    sampleAlert({
      id: i + 1,
      view: i % 2 ? 'public.a' : 'public.b',
      severity: i === 9 ? 'critical' : 'warning',
      type: 'stale_data',
    }),
  );
  const en = renderNotification(sampleNotification({ alerts }));
  assert.equal(en.title, '[FIRING] CRITICAL 14 alerts on 2 views');
  assert.equal(en.model.items.length, 10);
  assert.equal(en.model.items[0]!.alertId, 10, 'the critical alert first');
  assert.ok(en.text.includes('…and 4 more'));
  const zh = renderNotification(sampleNotification({ alerts, locale: 'zh' }));
  assert.equal(zh.title, '【告警】严重 2 个视图共 14 条告警');
  assert.ok(zh.text.includes('…另有 4 条'));
  const one = renderNotification(
    sampleNotification({ alerts: alerts.slice(0, 3).map((a) => ({ ...a, view: 'public.a' })) }),
  );
  assert.equal(one.model.summary, '3 alerts on public.a');
});

test('no dashboard link when the URL is unknown; HTML escapes data', () => {
  const out = renderNotification(
    sampleNotification({
      dashboardUrl: undefined,
      alerts: [sampleAlert({ message: '<script>alert(1)</script> *bold*' })],
    }),
  );
  assert.ok(!out.text.includes('dashboard'));
  assert.ok(!out.html.includes('<script>'));
  assert.ok(out.markdown.includes('\\*bold\\*'), 'markdown emphasis in data is neutralised');
});

test('owners: prefixes and shapes sort into mobiles, emails, Slack, Feishu, WeCom and DingTalk ids', () => {
  const owners = ownersOf([
    sampleAlert({
      labels: { owner: 'alice', owners: '13800000000, +86 138-0000-0001, bob@example.com, U024BE7LH' },
    }),
    sampleAlert({
      labels: { owners: 'ou_abc123, wecom:zhangsan, dingtalk:mgr1, mobile:555 1234, alice, slack:W0123ABCD' },
    }),
  ]);
  assert.deepEqual(owners.mobiles, ['13800000000', '+8613800000001', '5551234']);
  assert.deepEqual(owners.emails, ['bob@example.com']);
  assert.deepEqual(owners.slack, ['U024BE7LH', 'W0123ABCD']);
  assert.deepEqual(owners.feishu, ['ou_abc123']);
  assert.deepEqual(owners.wecom, ['zhangsan']);
  assert.deepEqual(owners.dingtalk, ['mgr1']);
  assert.equal(owners.all.filter((o) => o === 'alice').length, 1, 'no duplicates');
  const rendered = renderNotification(
    sampleNotification({ alerts: [sampleAlert({ labels: { owner: 'alice' } })] }),
  );
  assert.ok(rendered.text.endsWith('Owners: alice'));
});
