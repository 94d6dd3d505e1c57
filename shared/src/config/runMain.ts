import { loadEnvFile } from './envFile.ts';
import { ConfigError } from './loadConfig.ts';

/**
 * Runs an entry point's start-up (a service's or a sandbox's main) after loading `.env`. Whatever
 * stops it ends the process with exit code 1 after one line: a ConfigError's message names the
 * variable to change; anything else is `Start-up failed: <error>`, with its stack only at
 * LOG_LEVEL=debug or trace.
 */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    loadEnvFile();
    await main();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
    } else {
      console.error(
        `Start-up failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
      if (/^(debug|trace)$/.test(process.env.LOG_LEVEL ?? '') && error instanceof Error)
        console.error(error.stack);
    }
    process.exit(1);
  }
}
