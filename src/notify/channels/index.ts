/** The channel registry: one config schema discriminated on `type`, one factory. */
import { z } from 'zod';
import type { Db } from '../../db/db.js';
import { MvwatchError } from '../../errors.js';
import type { Channel } from '../types.js';
import { amqpConfigSchema, createAmqpChannel } from './amqp.js';
import { consoleConfigSchema, createConsoleChannel, type WritableLike } from './console.js';
import { createDingtalkChannel, dingtalkConfigSchema } from './dingtalk.js';
import { createEmailChannel, emailConfigSchema } from './email.js';
import { createFeishuChannel, feishuConfigSchema } from './feishu.js';
import { createNatsChannel, natsConfigSchema } from './nats.js';
import { createPgNotifyChannel, pgNotifyConfigSchema } from './pg_notify.js';
import { createSlackChannel, slackConfigSchema } from './slack.js';
import { createWebhookChannel, webhookConfigSchema } from './webhook.js';
import { createWecomChannel, wecomConfigSchema } from './wecom.js';

/** Every `type` a channel may have (`lark` is Feishu's international twin). */
export const CHANNEL_TYPES = [
  'webhook',
  'slack',
  'feishu',
  'lark',
  'dingtalk',
  'wecom',
  'email',
  'amqp',
  'nats',
  'pg_notify',
  'console',
] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** One entry of `notify.channels`, validated on its `type`. */
export const channelConfigSchema = z.discriminatedUnion(
  'type',
  [
    webhookConfigSchema,
    slackConfigSchema,
    feishuConfigSchema,
    dingtalkConfigSchema,
    wecomConfigSchema,
    emailConfigSchema,
    amqpConfigSchema,
    natsConfigSchema,
    pgNotifyConfigSchema,
    consoleConfigSchema,
  ],
  { error: () => `expected type to be one of ${CHANNEL_TYPES.join(', ')}` },
);
export type ChannelConfig = z.infer<typeof channelConfigSchema>;

/** What some channels need from the running process. */
export interface ChannelDeps {
  /** mvwatch's database: required by `pg_notify`. */
  db?: Db;
  /** Where `console` writes instead of its configured process stream (tests, the demo's log). */
  output?: WritableLike;
}

/**
 * Creates the channel `name` from its validated config. Throws MVW_INVALID_CONFIG when a
 * dependency the type needs is missing (`pg_notify` without `deps.db`).
 */
export function createChannel(name: string, config: ChannelConfig, deps: ChannelDeps = {}): Channel {
  switch (config.type) {
    case 'webhook':
      return createWebhookChannel(name, config);
    case 'slack':
      return createSlackChannel(name, config);
    case 'feishu':
    case 'lark':
      return createFeishuChannel(name, config);
    case 'dingtalk':
      return createDingtalkChannel(name, config);
    case 'wecom':
      return createWecomChannel(name, config);
    case 'email':
      return createEmailChannel(name, config);
    case 'amqp':
      return createAmqpChannel(name, config);
    case 'nats':
      return createNatsChannel(name, config);
    case 'pg_notify':
      if (!deps.db) {
        throw new MvwatchError(
          'MVW_INVALID_CONFIG',
          `notify.channels.${name}: pg_notify needs mvwatch's database connection.`,
        );
      }
      return createPgNotifyChannel(name, config, deps.db);
    case 'console':
      return createConsoleChannel(name, config, deps.output);
  }
}
