// Tests run the TypeScript sources of the workspace packages (their `@shop/source` export
// condition), never their compiled dist/; the other conditions are Vite's defaults for Node.
export const workspaceSources = {
  ssr: { resolve: { conditions: ['@shop/source', 'module', 'node', 'development|production'] } },
};
