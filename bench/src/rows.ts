import type { Measured } from './context.ts';
import type { ScenarioName } from './options.ts';

export type BaselineKind = 'GET' | 'POST';
export type Baselines = Record<BaselineKind, Measured>;

/** One line of the results table. */
export interface Row {
  scenario: ScenarioName | 'baseline';
  name: string;
  load: Measured;
  baseline: BaselineKind;
  /** Requests/s as a fraction of the same-run bare Express baseline of the same method. */
  ratio: number;
  /** What this row must reach, in words; empty when the row is context for another. */
  target: string;
  met: boolean | null;
  /** Anything else worth keeping in the JSON (ceilings, sizes, log lines of errors). */
  detail?: Record<string, unknown>;
}

export type RowInput = Omit<Row, 'ratio' | 'target' | 'met'> & Partial<Pick<Row, 'target' | 'met'>>;

export function row(baselines: Baselines, input: RowInput): Row {
  const ratio = input.load.requestsPerSec / baselines[input.baseline].requestsPerSec;
  return { target: '', met: null, ...input, ratio };
}
