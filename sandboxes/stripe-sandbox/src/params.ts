import { requireSupportedCurrency } from './currencies.ts';
import { invalidRequest, missingParam } from './errors.ts';
import type { Metadata } from './state.ts';

/** Form bodies parsed with qs: values are strings, nested objects or arrays. */
export type Params = Record<string, unknown>;

export const MAX_AMOUNT = 99_999_999;

export function optionalString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string')
    throw invalidRequest(`Invalid string: ${name}`, 'parameter_invalid_string', name);
  return value;
}

export function requiredString(params: Params, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined) throw missingParam(name);
  return value;
}

/** Stripe sends booleans as the strings "true"/"false" in form bodies; JSON callers may send real ones. */
export function optionalBoolean(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${String(value)}`, 'parameter_invalid_boolean', name);
}

function parseInteger(params: Params, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d+$/.test(text)) {
    throw invalidRequest(`Invalid integer: ${String(text)}`, 'parameter_invalid_integer', name);
  }
  return Number(text);
}

/** A charge or refund amount in minor units: a positive integer no larger than Stripe's 8-digit limit. */
export function optionalAmount(params: Params, name: string): number | undefined {
  const amount = parseInteger(params, name);
  if (amount === undefined) return undefined;
  if (amount < 1)
    throw invalidRequest('This value must be greater than or equal to 1.', 'amount_too_small', name);
  if (amount > MAX_AMOUNT) {
    throw invalidRequest(`Amount must be no more than ${MAX_AMOUNT}.`, 'amount_too_large', name);
  }
  return amount;
}

export function requiredAmount(params: Params, name: string): number {
  const amount = optionalAmount(params, name);
  if (amount === undefined) throw missingParam(name);
  return amount;
}

export function requiredCurrency(params: Params): string {
  const currency = requiredString(params, 'currency');
  if (!/^[a-zA-Z]{3}$/.test(currency)) {
    throw invalidRequest(`Invalid currency: ${currency}.`, 'parameter_invalid_string', 'currency');
  }
  return requireSupportedCurrency(currency);
}

/**
 * The parameters an endpoint takes: a name, or a name with the keys its hash takes (`metadata`
 * takes any). Stripe refuses anything else with 400 `parameter_unknown`, naming it as sent.
 */
export type KnownParams = Record<string, true | readonly string[]>;

export function rejectUnknownParams(params: Params, known: KnownParams): void {
  for (const [name, value] of Object.entries(params)) {
    const allowed = known[name];
    if (allowed === undefined) throw unknownParam(name);
    if (allowed === true || value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) throw unknownParam(`${name}[${key}]`);
    }
  }
}

function unknownParam(name: string) {
  return invalidRequest(`Received unknown parameter: ${name}`, 'parameter_unknown', name);
}

/** Metadata as Stripe limits it: up to 50 string keys (40 chars) with string values (500 chars). */
export function optionalMetadata(params: Params): Metadata | undefined {
  const value = params.metadata;
  if (value === undefined) return undefined;
  if (value === '') return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest('Invalid object', 'parameter_invalid_empty', 'metadata');
  }
  const entries = Object.entries(value);
  if (entries.length > 50) throw invalidRequest('Metadata can have at most 50 keys.', undefined, 'metadata');
  const metadata: Metadata = {};
  for (const [key, raw] of entries) {
    const param = `metadata[${key}]`;
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      throw invalidRequest('Metadata values must be strings.', undefined, param);
    }
    if (key.length > 40)
      throw invalidRequest('Metadata keys can be at most 40 characters.', undefined, param);
    const text = String(raw);
    if (text.length > 500)
      throw invalidRequest('Metadata values can be at most 500 characters.', undefined, param);
    metadata[key] = text;
  }
  return metadata;
}

/** Stripe's `metadata[key]=` (empty value) unsets a key on update. */
export function mergeMetadata(current: Metadata, update: Metadata): Metadata {
  const merged = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
