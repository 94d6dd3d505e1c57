import { createLogger } from '../../src/logging/logger.ts';

// Logs LINES lines to stdout through the service logger (asynchronous destination), then ends the
// way argv[2] says: process.exit(0) as after a SIGTERM shutdown, or an uncaught exception.
const LINES = 20_000;
const logger = createLogger('exit-test', 'info');
for (let i = 0; i < LINES; i++) logger.info({ n: i }, 'line');
if (process.argv[2] === 'throw') throw new Error('fatal after logging');
process.exit(0);
