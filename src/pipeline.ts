import type { CheckStepFactory } from './task/from-config.js';

/**
 * The check step every command and the server use for a configured view. The check engine
 * (src/checks) plugs in here; a view without checks gets none.
 */
export const checkStepFor: CheckStepFactory = () => undefined;
