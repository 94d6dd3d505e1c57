import type { ServiceName } from '@shop/shared/contracts';
import fc from 'fast-check';
import type { Endpoint, FieldSchema } from './fuzzEndpoints.ts';
import {
  deepArray,
  deepObject,
  hostileKey,
  hostileString,
  hostileUrlText,
  hostileValue,
  operatorObject,
  safeEncode,
  toJsonText,
} from './fuzzValues.ts';

/** What the fuzzer knows of the running shop: valid values, so each attack hits one part only. */
export interface FuzzContext {
  /** Valid values by field name (body and query), e.g. `email` -> the fuzz user's. */
  samples: Record<string, unknown>;
  /** A real id for a path template, e.g. the fuzz user's order for `/api/order/{id}`. */
  idFor(path: string): string;
  userToken: string;
  /** A token of this service, for the endpoints only services may call. */
  /** A valid token of `caller` for calls to `audience`. */
  serviceToken(caller: ServiceName, audience: ServiceName): string;
}

export interface FuzzRequest {
  /** Which part was attacked, for the report. */
  attack: string;
  method: string;
  /** Path and query string. */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

type Json = Record<string, unknown>;

function sampleOf(schema: FieldSchema, name: string, ctx: FuzzContext): unknown {
  if (name in ctx.samples) return ctx.samples[name];
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf?.[0]) return sampleOf(schema.anyOf[0], name, ctx);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object') return baselineObject(schema, ctx, () => true);
  if (type === 'number' || type === 'integer') return 1;
  if (type === 'boolean') return true;
  return 'x';
}

/** Required fields always, optional ones when `keep` says so. */
function baselineObject(schema: FieldSchema, ctx: FuzzContext, keep: (name: string) => boolean): Json {
  const required = new Set(schema.required ?? []);
  const out: Json = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (required.has(name) || keep(name)) out[name] = sampleOf(field, name, ctx);
  }
  return out;
}

export const hasBody = (e: Endpoint) => e.method !== 'GET' && e.method !== 'DELETE';

/** Bodies that are not a JSON object: wrong types, broken or huge JSON, odd encodings. */
const rawBody = fc.constantFrom<[string, string, Record<string, string>?]>(
  ['application/json', 'not json'],
  ['application/json', '{"a":'],
  ['application/json', ''],
  ['application/json', 'null'],
  ['application/json', '"text"'],
  ['application/json', '12'],
  ['application/json', '\ufeff{}'],
  ['application/json', '{"a":1,"a":2}'],
  ['application/json', '{"__proto__":{"polluted":"fuzz"},"constructor":{"prototype":{"polluted":"fuzz"}}}'],
  ['application/json', deepArray(10_000)],
  ['application/json', deepObject(10_000)],
  ['application/json', `{"a":${deepArray(10_000)}}`],
  ['application/json; charset=utf-16', '{}'],
  ['application/json; charset=bogus', '{}'],
  ['application/json', '{}', { 'content-encoding': 'gzip' }],
  ['application/json', '{}', { 'content-encoding': 'br' }],
  ['application/json', '{}', { 'content-encoding': 'bogus' }],
  ['text/plain', '{"order_id":"x"}'],
  ['application/x-www-form-urlencoded', 'a=1&__proto__[polluted]=fuzz&user_id[$ne]=x'],
  ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--'],
  [
    'application/xml',
    '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>',
  ],
  ['', '{}'],
);

const weighted = <T>(list: [number, fc.Arbitrary<T> | false][]) =>
  fc.oneof(
    ...list.flatMap(([weight, arbitrary]) => (arbitrary ? [{ weight, arbitrary }] : [])),
  ) as fc.Arbitrary<T>;

/** Generates hostile requests for one endpoint: each attacks one part, the rest is valid. */
/** A token the endpoint accepts: a user's, or one of a service it names (`preferService` picks when it takes both). */
export function tokenFor(endpoint: Endpoint, ctx: FuzzContext, preferService = false): string | undefined {
  const { access } = endpoint;
  if (access === 'public') return undefined;
  const service = access.services?.[0];
  if (service && (preferService || !access.user))
    return ctx.serviceToken(service, endpoint.service as ServiceName);
  return ctx.userToken;
}

export function hostileRequests(endpoint: Endpoint, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const bodyFields = Object.keys(endpoint.body?.properties ?? {});
  const fieldNames = bodyFields.length > 0 ? bodyFields : ['field'];
  const keepOptional = fc.func(fc.boolean());

  type Parts = { body?: Json | unknown; path: Record<string, string>; query: string[] };
  const base = keepOptional.map((keep): Parts => {
    const query = endpoint.queryParams
      .filter((name) => keep(name))
      .filter((name) => name in ctx.samples)
      .map((name) => `${name}=${safeEncode(String(ctx.samples[name]))}`);
    const path = Object.fromEntries(endpoint.pathParams.map((name) => [name, ctx.idFor(endpoint.path)]));
    const body = endpoint.body ? baselineObject(endpoint.body, ctx, keep) : undefined;
    return { body, path, query };
  });

  const token = fc.boolean().map((second) => tokenFor(endpoint, ctx, second));

  const withBody = (parts: Parts, body: unknown) => ({ ...parts, body });
  const attack = weighted<{
    attack: string;
    parts: (p: Parts) => Parts;
    raw?: [string, string, Record<string, string>?];
  }>([
    [1, fc.constant({ attack: 'valid', parts: (p: Parts) => p })],
    [
      6,
      hasBody(endpoint) &&
        fc.tuple(fc.constantFrom(...fieldNames), hostileValue).map(([field, value]) => ({
          attack: `body.${field}`,
          parts: (p: Parts) => withBody(p, { ...(p.body as Json), [field]: value }),
        })),
    ],
    [
      2,
      hasBody(endpoint) &&
        fc.constantFrom(...fieldNames).map((field) => ({
          attack: `body.${field} missing`,
          parts: (p: Parts) => {
            const { [field]: _dropped, ...rest } = (p.body ?? {}) as Json;
            return withBody(p, rest);
          },
        })),
    ],
    [
      3,
      hasBody(endpoint) &&
        fc.tuple(fc.oneof(hostileKey, fc.string()), hostileValue).map(([key, value]) => ({
          attack: `body extra ${JSON.stringify(key)}`,
          parts: (p: Parts) => {
            const body = { ...(p.body as Json) };
            Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
            return withBody(p, body);
          },
        })),
    ],
    [
      2,
      hasBody(endpoint) &&
        operatorObject.map((operator) => ({
          attack: 'body: an operator in every field',
          parts: (p: Parts) => withBody(p, Object.fromEntries(fieldNames.map((f) => [f, operator]))),
        })),
    ],
    [
      2,
      hasBody(endpoint) &&
        hostileValue.map((value) => ({
          attack: 'body: a hostile value',
          parts: (p: Parts) => withBody(p, value),
        })),
    ],
    [
      2,
      hasBody(endpoint) &&
        rawBody.map((raw) => ({ attack: `raw body ${raw[0]}`, parts: (p: Parts) => p, raw })),
    ],
    [
      3,
      fc
        .tuple(
          fc.oneof(fc.constantFrom(...endpoint.queryParams, 'extra'), hostileKey, fc.string()),
          hostileUrlText,
          fc.boolean(),
        )
        .map(([name, value, twice]) => ({
          attack: `query.${name}`,
          parts: (p: Parts) => {
            const pair = `${safeEncode(name)}=${value}`;
            const brackets = `${safeEncode(name)}[$ne]=${value}`;
            return { ...p, query: [...p.query, pair, ...(twice ? [pair, brackets] : [])] };
          },
        })),
    ],
    [
      3,
      endpoint.pathParams.length > 0 &&
        fc.tuple(fc.constantFrom(...endpoint.pathParams), hostileUrlText).map(([name, value]) => ({
          attack: `path.${name}`,
          parts: (p: Parts) => ({ ...p, path: { ...p.path, [name]: value } }),
        })),
    ],
  ]);

  const headerValue = fc.oneof(
    hostileString.map((s) => s.replace(/[^\x20-\x7e]/g, '').slice(0, 8000)),
    fc.constantFrom('', ' ', 'Bearer', 'Bearer ', 'Bearer a.b.c', 'Basic YTpi', 'x'.repeat(8000)),
  );
  const headerAttack = fc.tuple(fc.constantFrom('authorization', ...endpoint.headerParams), headerValue);

  return fc
    .record({ base, token, attack, header: fc.option(headerAttack, { freq: 10 }) })
    .map(({ base: parts, token: bearer, attack: chosen, header }): FuzzRequest => {
      const p = chosen.parts(parts);
      const path = endpoint.path.replace(/\{(\w+)\}/g, (_m, name: string) => p.path[name] ?? '');
      const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
      let body: string | undefined;
      if (chosen.raw) {
        const [type, text, extra] = chosen.raw;
        if (type) headers['content-type'] = type;
        Object.assign(headers, extra);
        body = text;
      } else if (hasBody(endpoint) && p.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = toJsonText(p.body);
      }
      if (header) headers[header[0].toLowerCase()] = header[1];
      const query = p.query.length > 0 ? `?${p.query.join('&')}` : '';
      return {
        attack: header ? `${chosen.attack} + header ${header[0]}` : chosen.attack,
        method: endpoint.method,
        target: path + query,
        headers,
        body,
      };
    });
}
