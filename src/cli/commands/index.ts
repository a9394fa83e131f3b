import type { Command } from 'commander';
import * as ack from './ack.js';
import * as alerts from './alerts.js';
import * as demo from './demo.js';
import * as history from './history.js';
import * as init from './init.js';
import * as refresh from './refresh.js';
import * as status from './status.js';

/** Every command module, in the order `--help` lists them. Each exports `register(program)`. */
export const COMMANDS: { register(program: Command): void }[] = [
  init,
  refresh,
  status,
  history,
  alerts,
  ack,
  demo,
];
