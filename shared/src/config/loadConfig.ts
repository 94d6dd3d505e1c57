import type { z } from 'zod';

/** Thrown when the environment does not satisfy a service's config schema. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses `env` with a zod schema. On failure throws one ConfigError whose message is a single line
 * naming every bad variable, e.g. `Invalid configuration: PORT must be a whole number (got "abc")`.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || 'environment';
    const raw = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
    const secret = /SECRET|KEY|TOKEN|PASSWORD|URI/.test(name);
    const got = raw === undefined ? 'not set' : secret ? 'value hidden' : `got ${JSON.stringify(raw)}`;
    return `${name} ${issue.message} (${got})`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}
