export * from './operations.ts';
export * from './buildOpenApi.ts';
export * from './docsRouter.ts';
