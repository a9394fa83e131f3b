import { z } from 'zod';
import { channelConfigSchema } from './channels/index.js';

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

/** Schema of the `notify:` section (channels and routes). */
export const notifySchema = z
  .object({
    channels: channelsSchema.default({}),
    routes: z.array(z.record(z.string(), z.unknown())).default([]),
  })
  .strict();
export type NotifyConfig = z.infer<typeof notifySchema>;
