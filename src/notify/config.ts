import { z } from 'zod';

/** Schema of the `notify:` section (channels and routes). */
export const notifySchema = z
  .object({
    channels: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    routes: z.array(z.record(z.string(), z.unknown())).default([]),
  })
  .strict();
export type NotifyConfig = z.infer<typeof notifySchema>;
