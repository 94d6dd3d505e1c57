import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's gitignored data folder (`<repo>/.data`): SQLite files and generated dev keys. */
export const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../.data');

/** A default path under the data folder, the same whatever directory a service is started from. */
export const dataPath = (file: string) => resolve(DATA_DIR, file);
