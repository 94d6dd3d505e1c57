import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { resetGmail, startNeighbours, type Neighbours } from './neighbours.ts';
import type { TestService } from './service.ts';

/**
 * The hooks a file of delivery tests shares: the neighbours and a scratch directory for database
 * files, for the whole file; after each test, the services it tracked are closed and the Gmail
 * sandbox is emptied. `n` and `dir` are read inside tests (they are set in beforeAll).
 */
export function deliverySuite(prefix: string) {
  const services: TestService[] = [];
  const suite = {
    n: undefined as unknown as Neighbours,
    dir: '',
    /** Closes the service after the test. */
    track: (service: TestService) => (services.push(service), service),
  };
  beforeAll(async () => {
    suite.n = await startNeighbours();
    suite.dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await suite.n.close();
    rmSync(suite.dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const service of services.splice(0)) await service.close();
    await resetGmail(suite.n.gmail);
  });
  return suite;
}
