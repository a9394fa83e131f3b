/** The message `mvwatch notify test <channel>` sends: clearly a test, shaped like a real one. */
import { randomUUID } from 'node:crypto';
import type { Notification } from './types.js';

/** A one-alert `firing` notification about `mvwatch.notify_test` (alert id 0: not a stored incident). */
export function syntheticNotification(options: { locale?: 'en' | 'zh'; now?: Date } = {}): Notification {
  const at = (options.now ?? new Date()).toISOString();
  return {
    id: `ntf_test_${randomUUID()}`,
    groupKey: 'test:{view="mvwatch.notify_test"}',
    transition: 'firing',
    alerts: [
      {
        id: 0,
        view: 'mvwatch.notify_test',
        type: 'refresh_failed',
        severity: 'info',
        status: 'firing',
        message: 'Test notification from mvwatch: if you can read this, the channel works.',
        details: { test: true },
        occurrences: 1,
        firstSeenAt: at,
        lastSeenAt: at,
        resolvedAt: null,
        silenced: false,
        acknowledged: false,
        acknowledgedBy: null,
        acknowledgedAt: null,
        notes: null,
        createdAt: at,
        labels: {},
      },
    ],
    groupLabels: { view: 'mvwatch.notify_test' },
    locale: options.locale ?? 'en',
    createdAt: at,
  };
}
