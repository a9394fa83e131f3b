import type { Alert } from '../types.js';

/** What happened to an incident that is worth telling someone. */
export type Transition = 'firing' | 'escalated' | 'resolved' | 'repeat';

/** An alert as a channel sees it: the incident plus its view's labels. */
export interface NotifiedAlert extends Alert {
  labels: Record<string, string>;
}

/** One message to one channel: a group of alerts (one view by default) and why it is sent. */
export interface Notification {
  /**
   * Idempotency key: the same on every retry of this notification (`webhook-id`, AMQP
   * messageId, NATS Nats-Msg-Id), so a receiver can drop duplicates.
   */
  id: string;
  /** The group these alerts were gathered under (route + groupBy values). */
  groupKey: string;
  transition: Transition;
  alerts: NotifiedAlert[];
  /** Group labels (the values of the route's groupBy). */
  groupLabels: Record<string, string>;
  /** Message language (default `en`). */
  locale: 'en' | 'zh';
  /** Link to the dashboard, when the server's public URL is known. */
  dashboardUrl?: string;
  /** When the notification was created (ISO). */
  createdAt: string;
}

/**
 * What a channel reports after one attempt. Channels never retry on their own: the job queue
 * decides (Alertmanager's `(retry bool, err error)`).
 */
export interface SendResult {
  ok: boolean;
  /** True when a later attempt may succeed (timeouts, 5xx, 408, 429, connection errors). */
  retry: boolean;
  statusCode?: number;
  /** The receiver asked to wait this long (429 Retry-After). */
  retryAfterMs?: number;
  /** What went wrong, with every secret redacted. */
  error?: string;
  latencyMs: number;
}

/** A configured destination. */
export interface Channel {
  /** Its key under `notify.channels`. */
  readonly name: string;
  /** `webhook`, `slack`, `feishu`, ... */
  readonly type: string;
  /**
   * The identity the platform counts its rate limit against, when that is not the channel itself:
   * a chat bot's URL, hashed. Two channels pointing at one bot share it, and so share the limit.
   */
  readonly rateKey?: string;
  send(notification: Notification, signal?: AbortSignal): Promise<SendResult>;
  /** Releases connections (AMQP, NATS). */
  close?(): Promise<void>;
}
