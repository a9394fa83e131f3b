import { z } from 'zod';
import { channelConfigSchema } from './channels/index.js';
import { checkChannelNames, deliverySchema, routeSchema } from './route-config.js';

/** A channel name appears in routes, the delivery log and `notify test <channel>`: keep it plain. */
const CHANNEL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const channelsSchema = z.record(z.string(), channelConfigSchema).superRefine((channels, ctx) => {
  for (const name of Object.keys(channels)) {
    if (!CHANNEL_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'expected a channel name of letters, digits, _ . - (at most 64)',
      });
    }
  }
});

/** Schema of the `notify:` section (channels, routes, delivery). */
export const notifySchema = z
  .object({
    channels: channelsSchema.default({}),
    /** Ordered rules; none configured: every alert goes to every channel with the defaults. */
    routes: z.array(routeSchema).default([]),
    /** Retries, queue and rate limits (see route-config.ts for defaults). */
    delivery: deliverySchema.optional(),
  })
  .strict()
  .superRefine(checkChannelNames);
export type NotifyConfig = z.infer<typeof notifySchema>;
