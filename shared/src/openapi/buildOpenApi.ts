import { z } from 'zod';
import {
  isErrorResponse,
  type Access,
  type Api,
  type Endpoint,
  type ErrorResponse,
} from '../contracts/endpoint.ts';

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

/** A problem answer whose `code` is one of `codes` (the first is the example). */
function problemResponse(description: string, codes: readonly string[]) {
  const schema = {
    allOf: [
      { $ref: '#/components/schemas/Problem' },
      { type: 'object', properties: { code: { type: 'string', enum: [...codes] } } },
    ],
  };
  return {
    description: `${description} (\`code\`: ${codes.map((c) => `\`${c}\``).join(', ')})`,
    content: { 'application/problem+json': { schema, example: { code: codes[0] } } },
  };
}

/** Who may call, in words: the `x-access` of an operation. */
export function describeAccess(access: Access): string {
  if (access === 'public') return 'public';
  const callers = [access.user ? 'user' : undefined, ...(access.services ?? [])].filter(Boolean);
  return callers.join(', ');
}

function parameters(endpoint: Endpoint) {
  const list: object[] = [];
  for (const [where, schema] of [
    ['path', endpoint.params],
    ['query', endpoint.query],
  ] as const) {
    if (!schema) continue;
    const document = jsonSchema(schema, 'input');
    const properties = (document.properties ?? {}) as Record<string, object>;
    const required = new Set((document.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      list.push({ name, in: where, required: where === 'path' || required.has(name), schema: property });
    }
  }
  for (const header of endpoint.headers ?? []) {
    list.push({
      name: header.name,
      in: 'header',
      required: header.required ?? false,
      description: header.description,
      schema: { type: 'string' },
    });
  }
  if (endpoint.idempotencyKey) {
    list.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: a repeat with the same key and request (same caller) answers the first ' +
        "request's status and body, marked `Idempotent-Replayed: true`, without doing the work again. " +
        'The same key with another request is a 422; a repeat while the first still runs is a 409. ' +
        'Keys are kept 24 hours (configurable); 5xx answers are not kept, so a retry after one runs again.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
    });
  }
  return list;
}

/** Documents the answer header of a replay on each 2xx answer of an idempotency-keyed endpoint. */
function withReplayedHeader(response: object): object {
  return {
    ...response,
    headers: {
      'Idempotent-Replayed': {
        description:
          '`true` when this is the saved answer to an earlier request with the same Idempotency-Key.',
        schema: { type: 'string', enum: ['true'] },
      },
    },
  };
}

/** The 409 and 422 of the Idempotency-Key mechanism, added to what the contract declares. */
function withIdempotencyAnswers(declared: Endpoint['responses']): Endpoint['responses'] {
  const add = (status: number, description: string, code: string): ErrorResponse => {
    const own = declared[status];
    if (!own || !isErrorResponse(own)) return { description, codes: [code] };
    if (own.codes.includes(code)) return own;
    return { description: `${own.description} Or: ${description}`, codes: [...own.codes, code] };
  };
  return {
    ...declared,
    409: add(409, 'A request with this Idempotency-Key is still running.', 'idempotency_request_in_progress'),
    422: add(422, 'The Idempotency-Key was used with another request.', 'idempotency_key_reused'),
  };
}

function responses(endpoint: Endpoint) {
  const out: Record<string, object> = {};
  const declared = endpoint.idempotencyKey ? withIdempotencyAnswers(endpoint.responses) : endpoint.responses;
  for (const [status, response] of Object.entries(declared)) {
    if (isErrorResponse(response)) {
      out[status] = problemResponse(response.description, response.codes);
    } else if (response.schema) {
      const content: Record<string, unknown> = { schema: jsonSchema(response.schema, 'output') };
      if (response.example !== undefined) content.example = response.example;
      out[status] = { description: response.description, content: { 'application/json': content } };
    } else {
      out[status] = { description: response.description };
    }
    if (endpoint.idempotencyKey && status.startsWith('2')) out[status] = withReplayedHeader(out[status]!);
  }

  // The answers every endpoint of its kind can give, unless the contract says more about them.
  if (endpoint.params || endpoint.query || endpoint.body)
    out['400'] ??= problemResponse('Invalid input; `errors` names each bad field.', ['validation_error']);
  if (endpoint.access !== 'public') {
    out['401'] ??= problemResponse('Missing, expired or invalid token.', [
      'unauthorized',
      'invalid_token',
      'token_expired',
    ]);
    out['403'] ??= problemResponse(`Only these callers may call this: ${describeAccess(endpoint.access)}.`, [
      'forbidden',
    ]);
  }
  return out;
}

function operation(endpoint: Endpoint) {
  return {
    operationId: endpoint.operationId,
    tags: [endpoint.tag],
    summary: endpoint.summary,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    ...(endpoint.access === 'public' ? { security: [] } : {}),
    'x-access': describeAccess(endpoint.access),
    parameters: parameters(endpoint),
    ...(endpoint.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(endpoint.body, 'input') } },
          },
        }
      : {}),
    ...(endpoint.rawBody
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        }
      : {}),
    responses: responses(endpoint),
  };
}

/** The OpenAPI 3.1 document of a service, built from its API declaration. */
export function buildOpenApi(api: Api) {
  const paths: Record<string, Record<string, object>> = {};
  const endpoints = Object.values(api.endpoints);
  for (const endpoint of endpoints) {
    const path = endpoint.path.replace(/:(\w+)/g, '{$1}');
    (paths[path] ??= {})[endpoint.method] = operation(endpoint);
  }
  return {
    openapi: '3.1.0',
    info: { title: api.service, description: api.description, version: '1.0.0' },
    servers: [{ url: '/' }],
    tags: [...new Set(endpoints.map((e) => e.tag))].map((name) => ({ name })),
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

export type OpenApiDocument = ReturnType<typeof buildOpenApi>;
