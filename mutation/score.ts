import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Stryker } from '@stryker-mutator/core';
import type { Target } from './targets.ts';

/** One mutant as Stryker reports it (its api package is not a direct dependency). */
export type MutantResult = Awaited<ReturnType<Stryker['runMutationTest']>>[number];

export type Score = {
  total: number;
  killed: number;
  noCoverage: number;
  /** `file:line mutator: replacement`, one per surviving mutant. */
  survivors: string[];
  equivalent: string[];
  /** Killed (or timed out) of covered, equivalent mutants left out. */
  percent: number;
};

/** The score as the issue defines it: killed of covered, the listed equivalent mutants left out. */
export function scoreOf(target: Target, results: MutantResult[]): Score {
  const equivalent: string[] = [];
  const survivors: string[] = [];
  let killed = 0;
  let noCoverage = 0;
  for (const mutant of results) {
    const file = relative(process.cwd(), mutant.fileName);
    const label = `${file}:${mutant.location.start.line} ${mutant.mutatorName}: ${oneLine(mutant.replacement)}`;
    if (isListedEquivalent(target, file, mutant)) {
      equivalent.push(label);
      continue;
    }
    if (mutant.status === 'Killed' || mutant.status === 'Timeout') killed++;
    else if (mutant.status === 'Survived') survivors.push(label);
    else if (mutant.status === 'NoCoverage') noCoverage++;
  }
  const covered = killed + survivors.length;
  return {
    total: results.length,
    killed,
    noCoverage,
    survivors,
    equivalent,
    percent: covered === 0 ? 0 : (100 * killed) / covered,
  };
}

function isListedEquivalent(target: Target, file: string, mutant: MutantResult): boolean {
  return (target.equivalent ?? []).some(
    (listed) =>
      listed.file === file &&
      listed.mutator === mutant.mutatorName &&
      listed.replacement === mutant.replacement &&
      sourceLine(file, mutant.location.start.line).includes(listed.near) &&
      (mutant.status === 'Survived' || mutant.status === 'NoCoverage'),
  );
}

function oneLine(text: string | undefined): string {
  const line = (text ?? '').replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function sourceLine(file: string, line: number): string {
  return readFileSync(file, 'utf8').split('\n')[line - 1] ?? '';
}
