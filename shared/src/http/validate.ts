import type { Request } from 'express';
import type { z } from 'zod';
import { validationFailed, type FieldError } from '../errors/AppError.ts';

type Part = 'body' | 'query' | 'params';
type Schemas = Partial<Record<Part, z.ZodType>>;
type Parsed<S extends Schemas> = { [K in keyof S]: S[K] extends z.ZodType ? z.infer<S[K]> : never };

/**
 * Validates the parts of a request against zod schemas and returns the parsed values.
 * Every invalid field of every part is reported at once as a 400 `validation_error`.
 */
export function parseRequest<S extends Schemas>(req: Request, schemas: S): Parsed<S> {
  const errors: FieldError[] = [];
  const parsed: Record<string, unknown> = {};
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = schemas[part];
    if (!schema) continue;
    const input = part === 'body' && req.body === undefined ? {} : req[part];
    // reportInput lets a missing field ("Required") be told apart from a wrong type.
    const result = schema.safeParse(input, { reportInput: true });
    if (result.success) {
      parsed[part] = result.data;
      continue;
    }
    for (const issue of result.error.issues) {
      const path = issue.path.map(String);
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          errors.push({ in: part, field: [...path, key].join('.'), message: 'Unknown field' });
      } else {
        errors.push({ in: part, field: path.join('.'), message: fieldMessage(issue) });
      }
    }
  }
  if (errors.length > 0) throw validationFailed(errors);
  return parsed as Parsed<S>;
}

function fieldMessage(issue: z.core.$ZodIssue): string {
  // With reportInput, a missing field is one whose input is undefined, whatever check failed on it.
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined)
    return 'Required';
  return issue.message;
}
