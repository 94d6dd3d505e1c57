/**
 * Regenerates stripe-components.json: the component schemas of Stripe's published OpenAPI document
 * (github.com/stripe/openapi, openapi/spec3.json or spec3.yaml) that the conformance test checks the
 * sandbox's answers against, trimmed to the objects the payment-service meets:
 *
 *   npx tsx sandboxes/stripe-sandbox/openapi/trim-stripe-openapi.ts <spec3.json|spec3.yaml> <tag>
 *
 * Kept: the schemas in KEEP, followed through their $refs when the target is in KEEP too; any other
 * $ref becomes {} (not checked). Dropped: descriptions, titles, `x-` extensions and `format` (Stripe's
 * formats such as unix-time are not JSON Schema's). OpenAPI's `nullable: true` becomes
 * `anyOf: [schema, {type: 'null'}]`, so a plain JSON Schema validator (ajv) reads it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const KEEP = [
  'payment_intent',
  'payment_intent_next_action',
  'payment_intent_next_action_redirect_to_url',
  'refund',
  'charge',
  'billing_details',
  'event',
  'notification_event_data',
  'notification_event_request',
  'error',
  'api_errors',
  'payment_method',
  'payment_method_card',
];

type Schema = Record<string, unknown>;
const PREFIX = '#/components/schemas/';

function trim(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(trim);
  if (node === null || typeof node !== 'object') return node;
  const source = node as Schema;
  if (typeof source.$ref === 'string') {
    return KEEP.includes(source.$ref.slice(PREFIX.length)) ? { $ref: source.$ref } : {};
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (['description', 'title', 'format', 'nullable'].includes(key) || key.startsWith('x-')) continue;
    out[key] = key === 'properties' ? mapValues(value as Schema) : trim(value);
  }
  return source.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

const mapValues = (properties: Schema) =>
  Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, trim(value)]));

export function trimSpec(spec: { info: { version: string }; components: { schemas: Schema } }, tag: string) {
  const schemas: Schema = {};
  for (const name of KEEP) {
    const schema = spec.components.schemas[name];
    if (schema === undefined) throw new Error(`the spec has no schema ${name}`);
    schemas[name] = trim(schema);
  }
  return {
    source: {
      repository: 'https://github.com/stripe/openapi',
      tag,
      file: 'openapi/spec3',
      api_version: spec.info.version,
      trimmed_by: 'sandboxes/stripe-sandbox/openapi/trim-stripe-openapi.ts',
    },
    components: { schemas },
  };
}

if (process.argv[1] && basename(process.argv[1]).startsWith('trim-stripe-openapi')) {
  const [path, tag] = process.argv.slice(2);
  if (!path || !tag) throw new Error('usage: trim-stripe-openapi.ts <spec3.json|spec3.yaml> <tag>');
  const text = readFileSync(path, 'utf8');
  const spec = path.endsWith('.json') ? JSON.parse(text) : parse(text);
  const out = join(dirname(fileURLToPath(import.meta.url)), 'stripe-components.json');
  writeFileSync(out, `${JSON.stringify(trimSpec(spec, tag), null, 2)}\n`);
  console.log(`wrote ${out}`);
}
