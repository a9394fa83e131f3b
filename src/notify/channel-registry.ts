/** The channels of a configuration, created on first use and kept open (AMQP and NATS connections). */
import { type ChannelDeps, createChannel } from './channels/index.js';
import type { NotifyConfig } from './config.js';
import type { Channel } from './types.js';

/** Configured channels by name. */
export interface ChannelRegistry {
  /** The channel, or undefined when `name` is not configured. */
  get(name: string): Channel | undefined;
  /** Closes every channel created so far. */
  close(): Promise<void>;
}

/** A registry over `notify.channels`; `deps` are handed to every channel (database, console output). */
export function channelRegistry(
  notify: Pick<NotifyConfig, 'channels'>,
  deps: ChannelDeps = {},
): ChannelRegistry {
  const open = new Map<string, Channel>();
  return {
    get(name) {
      const config = notify.channels[name];
      if (!config) return undefined;
      let ch = open.get(name);
      if (!ch) {
        ch = createChannel(name, config, deps);
        open.set(name, ch);
      }
      return ch;
    },
    async close() {
      const list = [...open.values()];
      open.clear();
      // One broken connection must not keep the others open.
      await Promise.allSettled(list.map((c) => c.close?.()));
    },
  };
}
