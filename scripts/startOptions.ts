import type { Runtime } from './stack/startStack.ts';

export interface StartOptions {
  help: boolean;
  /** When one process stops, the others keep running (to watch the system degrade). */
  keepGoing: boolean;
  runtime: Runtime;
}

export const START_USAGE = `Usage: pnpm start [--keep-going] [--watch]
  Builds the services and sandboxes, then starts all six processes (Ctrl-C stops them).
  --keep-going  when one process stops, keep the others running (by default all stop)
  --watch       run the TypeScript sources instead (no build), each restarted when its code changes
  --help        this text
Settings come from .env at the repo root and the environment (see .env.example).`;

/** Parses the command line; throws with the usage on anything unknown. */
export function parseStartOptions(argv: string[]): StartOptions {
  const options: StartOptions = { help: false, keepGoing: false, runtime: 'compiled' };
  for (const arg of argv.filter((a) => a !== '--')) {
    if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--keep-going') options.keepGoing = true;
    else if (arg === '--watch') options.runtime = 'watch';
    else throw new Error(`Unknown option "${arg}".\n${START_USAGE}`);
  }
  return options;
}
