import { z } from 'zod';
import type { Operation } from './operations.ts';

const ProblemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details, the one error shape of every service.',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', example: 'urn:shop:problem:validation_error' },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', example: 400 },
    code: { type: 'string', example: 'validation_error' },
    detail: { type: 'string' },
    request_id: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { in: { type: 'string' }, field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

function parameters(op: Operation) {
  const list: object[] = [];
  for (const [where, schema] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!schema) continue;
    const properties = (jsonSchema(schema, 'input').properties ?? {}) as Record<string, object>;
    const required = new Set((jsonSchema(schema, 'input').required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      list.push({ name, in: where, required: where === 'path' || required.has(name), schema: property });
    }
  }
  for (const header of op.headers ?? []) {
    list.push({
      name: header.name,
      in: 'header',
      required: header.required ?? false,
      description: header.description,
      schema: { type: 'string' },
    });
  }
  return list;
}

/** Builds an OpenAPI 3.1 document from a service's operations. */
export function buildOpenApi(
  info: { title: string; description: string; version: string; serverUrl: string },
  operations: Operation[],
) {
  const paths: Record<string, Record<string, object>> = {};
  for (const op of operations) {
    const path = op.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, object> = {};
    for (const [status, response] of Object.entries(op.responses)) {
      const isError = Number(status) >= 400;
      responses[status] = isError
        ? problemResponse(response.description)
        : response.schema
          ? {
              description: response.description,
              content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } },
            }
          : { description: response.description };
    }
    if (op.params || op.query || op.body)
      responses['400'] ??= problemResponse('Invalid input; `errors` names each bad field.');
    if (op.access !== 'public') {
      responses['401'] ??= problemResponse('Missing, expired or invalid token.');
      if (op.access !== 'user or service')
        responses['403'] ??= problemResponse(`Only a ${op.access} token may call this.`);
    }
    (paths[path] ??= {})[op.method] = {
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(op.access === 'public' ? { security: [] } : {}),
      'x-access': op.access,
      parameters: parameters(op),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, description: info.description, version: info.version },
    servers: [{ url: info.serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A user token from POST /api/login, or (service-only endpoints) a service token.',
        },
      },
      schemas: { Problem: ProblemSchema },
    },
    paths,
  };
}
