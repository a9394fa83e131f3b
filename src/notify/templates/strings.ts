/** Every word a notification shows, in English and Chinese. */
import type { AlertSeverity, AlertType } from '../../types.js';
import type { Transition } from '../types.js';

export type Locale = 'en' | 'zh';

/** The words of one language. */
export interface Strings {
  /** Title prefix per transition with its trailing space if the language wants one: `[FIRING] ` / `【告警】`. */
  transition: Record<Transition, string>;
  severity: Record<AlertSeverity, string>;
  type: Record<AlertType, string>;
  view: string;
  alertType: string;
  severityLabel: string;
  occurrences: string;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string;
  owners: string;
  dashboard: string;
  /** `3 alerts on 2 views`. */
  summary(count: number, views: string[]): string;
  /** `…and 4 more`. */
  more(count: number): string;
}

const en: Strings = {
  transition: {
    firing: '[FIRING] ',
    escalated: '[ESCALATED] ',
    resolved: '[RESOLVED] ',
    repeat: '[STILL FIRING] ',
  },
  severity: { info: 'INFO', warning: 'WARNING', error: 'ERROR', critical: 'CRITICAL' },
  type: {
    refresh_failed: 'Refresh failed',
    refresh_timeout: 'Refresh timed out',
    data_quality_warning: 'Data quality warning',
    data_quality_error: 'Data quality error',
    null_values_detected: 'Null values detected',
    outliers_detected: 'Outliers detected',
    row_count_anomaly: 'Row count anomaly',
    duplicate_keys: 'Duplicate keys',
    type_mismatch: 'Type mismatch',
    stale_data: 'Stale data',
    refresh_slow: 'Refresh slow',
    schema_changed: 'Schema changed',
    quality_gate_blocked: 'Quality gate blocked',
    notification_failed: 'Notification failed',
  },
  view: 'View',
  alertType: 'Type',
  severityLabel: 'Severity',
  occurrences: 'Occurrences',
  firstSeen: 'First seen',
  lastSeen: 'Last seen',
  resolvedAt: 'Resolved at',
  owners: 'Owners',
  dashboard: 'Open in dashboard',
  summary: (count, views) =>
    views.length === 1
      ? `${count} ${count === 1 ? 'alert' : 'alerts'} on ${views[0]}`
      : `${count} alerts on ${views.length} views`,
  more: (count) => `…and ${count} more`,
};

const zh: Strings = {
  transition: {
    firing: '【告警】',
    escalated: '【告警升级】',
    resolved: '【已恢复】',
    repeat: '【持续告警】',
  },
  severity: { info: '提示', warning: '警告', error: '错误', critical: '严重' },
  type: {
    refresh_failed: '刷新失败',
    refresh_timeout: '刷新超时',
    data_quality_warning: '数据质量警告',
    data_quality_error: '数据质量错误',
    null_values_detected: '发现空值',
    outliers_detected: '发现异常值',
    row_count_anomaly: '行数异常',
    duplicate_keys: '主键重复',
    type_mismatch: '类型不符',
    stale_data: '数据过期',
    refresh_slow: '刷新变慢',
    schema_changed: '结构变更',
    quality_gate_blocked: '质量门禁拦截',
    notification_failed: '通知发送失败',
  },
  view: '视图',
  alertType: '类型',
  severityLabel: '级别',
  occurrences: '次数',
  firstSeen: '首次出现',
  lastSeen: '最近出现',
  resolvedAt: '恢复时间',
  owners: '负责人',
  dashboard: '在仪表盘中查看',
  summary: (count, views) =>
    views.length === 1 ? `${views[0]} 有 ${count} 条告警` : `${views.length} 个视图共 ${count} 条告警`,
  more: (count) => `…另有 ${count} 条`,
};

/** The words of `locale`; unknown locales fall back to English. */
export function stringsFor(locale: string): Strings {
  return locale === 'zh' ? zh : en;
}

/** `2024-05-01T08:00:00.000Z` → `2024-05-01 08:00:00 UTC`: one unambiguous zone for every reader. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
