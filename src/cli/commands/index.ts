import type { Command } from 'commander';
import * as ack from './ack.js';
import * as alerts from './alerts.js';
import * as check from './check.js';
import * as deliveries from './deliveries.js';
import * as demo from './demo.js';
import * as history from './history.js';
import * as init from './init.js';
import * as notify from './notify.js';
import * as refresh from './refresh.js';
import * as silence from './silence.js';
import * as status from './status.js';
import * as unack from './unack.js';
import * as worker from './worker.js';

/** Every command module, in the order `--help` lists them. Each exports `register(program)`. */
export const COMMANDS: { register(program: Command): void }[] = [
  init,
  refresh,
  check,
  status,
  history,
  alerts,
  ack,
  unack,
  silence,
  worker,
  deliveries,
  notify,
  demo,
];
