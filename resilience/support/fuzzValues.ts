import fc from 'fast-check';

/**
 * Values no client should be able to break a service with. JSON text that JSON.stringify cannot
 * produce (1e400, 10k-deep nesting) travels as a raw marker that `toJsonText` splices in verbatim.
 */
const RAW = /"@@raw:([^"]*)@@"/g;
export const rawJson = (text: string) => `@@raw:${text}@@`;
export const toJsonText = (value: unknown) => JSON.stringify(value).replace(RAW, (_m, text: string) => text);

export const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
export const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Keys that have bitten Node services: prototype pollution, Mongo operators, mass assignment. */
export const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '$where',
  '$gt',
  '$ne',
  '',
  ' ',
  'a.b',
  'a[b]',
  'role',
  'is_admin',
  'id',
  'user_id',
  'status',
  'amount',
  'unit_amount',
  'password_hash',
  'created_at',
);

/** `{"$gt": ""}` and friends, as a NoSQL store would read them. */
export const operatorObject = fc.constantFrom<unknown>(
  { $gt: '' },
  { $ne: null },
  { $ne: '' },
  { $in: [] },
  { $regex: '.*' },
  { $exists: true },
  { $where: 'sleep(100) || true' },
  { $or: [{}] },
);

/** Objects whose own keys try to reach Object.prototype (JSON.parse keeps `__proto__` as a key). */
export const pollutionObject = fc.constantFrom<unknown>(
  JSON.parse('{"__proto__":{"polluted":"fuzz"}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":"fuzz"}}}'),
  JSON.parse('{"__proto__":{"status":"Paid","role":"admin","amount":1}}'),
  JSON.parse('{"prototype":{"polluted":"fuzz"}}'),
);

const nastyString = fc.constantFrom(
  "' OR '1'='1",
  "'; DROP TABLE orders; --",
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  '\u0000',
  'a\u0000b',
  '\u202egnp.exe',
  '\ud800',
  '\udfff\ud800',
  '😀👩‍👩‍👧‍👦',
  'Ünïcödé 名前 اسم',
  '${7*7}{{7*7}}%s%n',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x1F',
  '19.999',
  '-19.99',
  ' 19.99 ',
  '\t\r\n',
  '',
  ' ',
  'pm_card_visa',
  'Paid',
  'A'.repeat(201),
  'Z'.repeat(10_000),
);

export const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uuid(),
  nastyString,
);

const hugeNumber = fc.constantFrom<unknown>(
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_SAFE_INTEGER - 2,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  -0,
  0.1 + 0.2,
  99_999_999.99,
  1e21,
  rawJson('1e400'),
  rawJson('-1e400'),
  rawJson('1' + '0'.repeat(400)),
  rawJson('0.' + '1'.repeat(400)),
  rawJson('1e-400'),
);

const scalar = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  hugeNumber,
  fc.boolean(),
  fc.constant(null),
);

/** One hostile JSON value: wrong types, huge numbers, odd strings, operators, pollution, nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: scalar, weight: 6 },
  { arbitrary: operatorObject, weight: 2 },
  { arbitrary: pollutionObject, weight: 2 },
  { arbitrary: fc.array(scalar, { maxLength: 5 }), weight: 1 },
  { arbitrary: fc.dictionary(fc.oneof(hostileKey, fc.string()), scalar, { maxKeys: 4 }), weight: 1 },
  {
    arbitrary: fc.integer({ min: 2, max: 3000 }).map((depth) => rawJson(deepArray(depth))),
    weight: 1,
  },
  {
    arbitrary: fc.integer({ min: 2, max: 3000 }).map((depth) => rawJson(deepObject(depth))),
    weight: 1,
  },
);

/** A hostile text for a URL part (path segment or query value), already percent-encoded or raw. */
export const hostileUrlText = fc.oneof(
  hostileString.map((s) => safeEncode(s)),
  fc.constantFrom(
    '%',
    '%zz',
    '%E0%A4%A',
    '%C0%AE%C0%AE',
    '%2e%2e%2f%2e%2e%2f',
    '..',
    '%00',
    'me',
    '-1',
    '1e400',
    'x'.repeat(5000),
    '%F0%9F%98%80',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
  ),
);

/** encodeURIComponent throws on lone surrogates; those go out as U+FFFD. */
export function safeEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}
