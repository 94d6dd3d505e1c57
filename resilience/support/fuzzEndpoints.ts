import { buildOpenApi } from '@shop/shared';
import {
  notificationApi,
  orderApi,
  paymentApi,
  userApi,
  type Access,
  type Api,
} from '@shop/shared/contracts';
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
  operationId: string;
  parameters: DocParameter[];
  requestBody?: { content: { 'application/json': { schema: FieldSchema } } };
}

/** One public endpoint, as its service's OpenAPI document describes it. */
export interface Endpoint {
  service: ProcessName;
  method: string;
  /** OpenAPI template, e.g. `/api/order/{id}`. */
  path: string;
  /** Who may call it, as its contract declares. */
  access: Access;
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  body?: FieldSchema;
}

const apis: [ProcessName, Api][] = [
  ['user-service', userApi],
  ['order-service', orderApi],
  ['payment-service', paymentApi],
  ['notification-service', notificationApi],
];

/** Every endpoint of the four services: a new declared endpoint is fuzzed without touching the tests. */
export const endpoints: Endpoint[] = apis.flatMap(([service, api]) =>
  Object.entries(buildOpenApi(api).paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, raw]) => {
      const op = raw as DocOperation;
      const declared = Object.values(api.endpoints).find((e) => e.operationId === op.operationId)!;
      const named = (where: DocParameter['in']) =>
        op.parameters.filter((p) => p.in === where).map((p) => p.name);
      return {
        service,
        method: method.toUpperCase(),
        path,
        access: declared.access,
        pathParams: named('path'),
        queryParams: named('query'),
        headerParams: named('header'),
        body: op.requestBody?.content['application/json'].schema,
      };
    }),
  ),
);

export const endpointName = (e: Endpoint) => `${e.method} ${e.path}`;
