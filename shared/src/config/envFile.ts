import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { ConfigError } from './loadConfig.ts';
import { fillLocalUrls } from './localUrls.ts';

/** `<repo>/.env` (gitignored): the same file whichever package or folder a process starts from. */
export const DEFAULT_ENV_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../.env');

/**
 * Prepares the environment of an entry point (a service or sandbox, `pnpm start`, the bench, the
 * curl script), before any config is read: loads the `.env` file without overriding what the
 * environment already sets, then fills the local URLs from the ports (fillLocalUrls).
 * `SHOP_ENV_FILE` names another file, or `none` for no file: the stack launcher gives its children
 * `none`, since they inherit the environment it prepared (and tests hide variables that way).
 * Returns the file that was read, if any.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.SHOP_ENV_FILE;
  const file = chosen === 'none' ? undefined : chosen ? resolve(chosen) : DEFAULT_ENV_FILE;
  const read = file !== undefined && (chosen || existsSync(file)) ? readEnvFile(file) : undefined;
  for (const [name, value] of Object.entries(read ?? {})) {
    if (env[name] === undefined) env[name] = value;
  }
  fillLocalUrls(env);
  return read ? file : undefined;
}

function readEnvFile(file: string): NodeJS.Dict<string> {
  try {
    return parseEnv(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(
      `Invalid configuration: SHOP_ENV_FILE cannot be read (got ${JSON.stringify(file)}: ${reason})`,
    );
  }
}
