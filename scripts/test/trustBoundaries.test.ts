import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES, SHOP_APIS, serviceAccess, type Endpoint } from '@shop/shared/contracts';
import { REPO_ROOT } from '../stack/processes.ts';

const ANSWER = { allowed: 'yes', forbidden: 'no (403)', unknown: 'no (401)' } as const;

/** The table's rows as the contracts make them: one per endpoint that needs a token. */
function expectedRows(): string[][] {
  return Object.entries(SHOP_APIS).flatMap(([service, api]) =>
    (Object.values(api.endpoints) as Endpoint[])
      .filter((endpoint) => endpoint.access !== 'public')
      .map((endpoint) => [
        `${service} \`${endpoint.method.toUpperCase()} ${endpoint.path}\``,
        ...SERVICE_NAMES.map((caller) =>
          caller === service ? '-' : ANSWER[serviceAccess(caller, api, endpoint.access)],
        ),
      ]),
  );
}

/** The body rows of the first markdown table under the "Trust boundaries" heading, as trimmed cells. */
function documentedRows(): string[][] {
  const doc = readFileSync(resolve(REPO_ROOT, 'docs/reliability.md'), 'utf8');
  const section = doc.split(/^## /m).find((part) => part.startsWith('Trust boundaries'))!;
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start + 2, end).map((line) =>
    line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim()),
  );
}

describe('docs/reliability.md: trust boundaries', () => {
  it("the caller -> endpoint table says, for every endpoint needing a token, what each service's token gets, as the contracts' access lists decide", () => {
    expect(documentedRows()).toEqual(expectedRows());
  });
});
