/**
 * Node's arguments to run a TypeScript entry point without a build, as development and tests do:
 * tsx loads the TypeScript, and the `@shop/source` export condition makes the workspace packages
 * resolve to their sources instead of their compiled dist/.
 */
export const tsxArgs = (entry: string): string[] => ['--conditions=@shop/source', '--import', 'tsx', entry];
