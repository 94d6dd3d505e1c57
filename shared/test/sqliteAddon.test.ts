import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const addon = join(
  dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
  'build/Release/better_sqlite3.node',
);

describe('the better-sqlite3 native module', () => {
  // better-sqlite3 12 (the last that runs on Node 20) derives from node::ObjectWrap. Built against
  // Node 24.19+ headers, ObjectWrap's destructor removes a cleanup hook, which aborts the process
  // when the GC collects a statement outside JavaScript (nodejs/node#65446): seen as crash loops
  // in the containers. Built against Node 20's or 24.18.1's headers, it has no such call.
  it('was built without the ObjectWrap cleanup hook that aborts on Node 24.19+ (see README, Node 24)', () => {
    expect(readFileSync(addon).includes('RemoveEnvironmentCleanupHook')).toBe(false);
  });
});
