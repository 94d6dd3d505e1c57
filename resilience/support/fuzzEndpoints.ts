import { openApiDocument as notificationApi } from '../../services/notification-service/src/http/openapi.ts';
import { openApiDocument as orderApi } from '../../services/order-service/src/http/openapi.ts';
import { openApiDocument as paymentApi } from '../../services/payment-service/src/http/openapi.ts';
import { openApiDocument as userApi } from '../../services/user-service/src/http/openapi.ts';
import type { ProcessName } from '../../scripts/stack/processes.ts';

/** The part of a JSON schema the fuzzer reads to build a valid baseline request. */
export interface FieldSchema {
  type?: string | string[];
  properties?: Record<string, FieldSchema>;
  required?: string[];
  enum?: unknown[];
  anyOf?: FieldSchema[];
}

interface DocParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
}

interface DocOperation {
  'x-access': 'user' | 'service' | 'user or service' | 'public';
  parameters: DocParameter[];
  requestBody?: { content: { 'application/json': { schema: FieldSchema } } };
}

/** One public endpoint, as its service's OpenAPI document describes it. */
export interface Endpoint {
  service: ProcessName;
  method: string;
  /** OpenAPI template, e.g. `/api/order/{id}`. */
  path: string;
  access: DocOperation['x-access'];
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  body?: FieldSchema;
}

const documents: [ProcessName, { paths: Record<string, Record<string, object>> }][] = [
  ['user-service', userApi],
  ['order-service', orderApi],
  ['payment-service', paymentApi],
  ['notification-service', notificationApi],
];

/** Every endpoint of the four services: a new documented endpoint is fuzzed without touching the tests. */
export const endpoints: Endpoint[] = documents.flatMap(([service, doc]) =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, raw]) => {
      const op = raw as DocOperation;
      const named = (where: DocParameter['in']) =>
        op.parameters.filter((p) => p.in === where).map((p) => p.name);
      return {
        service,
        method: method.toUpperCase(),
        path,
        access: op['x-access'],
        pathParams: named('path'),
        queryParams: named('query'),
        headerParams: named('header'),
        body: op.requestBody?.content['application/json'].schema,
      };
    }),
  ),
);

export const endpointName = (e: Endpoint) => `${e.method} ${e.path}`;
