import { ConfigError, openDatabaseSetting } from '@shop/shared';
import { createSqliteUserStore } from './sqliteUserStore.ts';
import type { UserStore } from './userStore.ts';

/** The host part of a MongoDB URI, for messages: the URI itself may carry a password. */
function mongoHost(uri: string): string {
  return /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*)/.exec(uri)?.[1] || 'the configured host';
}

/**
 * MongoDB when MONGODB_URI is set, the embedded SQLite file otherwise. A store that cannot be
 * opened stops start-up with one line (and never prints the URI's credentials).
 */
export async function openUserStore(config: {
  MONGODB_URI?: string;
  USER_DB_PATH: string;
}): Promise<UserStore> {
  const uri = config.MONGODB_URI;
  if (uri) {
    if (!/^mongodb(\+srv)?:\/\/\S+$/.test(uri)) {
      throw new ConfigError(
        'Invalid configuration: MONGODB_URI must start with mongodb:// or mongodb+srv:// (value hidden)',
      );
    }
    try {
      // Loaded only here: mongoose and its driver hold about 30 MB that a service on SQLite never uses.
      const { openMongoUserStore } = await import('./mongoUserStore.ts');
      return await openMongoUserStore(uri);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new ConfigError(`Cannot use MONGODB_URI: MongoDB at ${mongoHost(uri)} failed (${reason})`);
    }
  }
  return openDatabaseSetting('USER_DB_PATH', config.USER_DB_PATH, createSqliteUserStore);
}
