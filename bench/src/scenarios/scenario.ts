import type { ProcessName } from '../../../scripts/stack/processes.ts';
import type { BenchContext } from '../context.ts';
import type { Baselines, Row } from '../rows.ts';

/** A scenario measures one or more rows; `processes` are the ones whose RSS it reports. */
export interface Scenario {
  processes: ProcessName[];
  run(ctx: BenchContext, baselines: Baselines): Promise<Row[]>;
}
