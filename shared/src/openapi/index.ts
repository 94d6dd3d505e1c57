export * from './buildOpenApi.ts';
export * from './docsRouter.ts';
