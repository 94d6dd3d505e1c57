// What an entry point needs before its app exists, with no dependency beyond zod: the sandboxes
// use it without loading the rest of the shared package.
export * from '../config/loadConfig.ts';
export * from '../config/envSchemas.ts';
export * from '../config/envFile.ts';
export * from '../config/localUrls.ts';
export * from '../config/runMain.ts';
export * from '../http/listenFailure.ts';
export * from './tsxArgs.ts';
