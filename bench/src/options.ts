export const SCENARIOS = ['order-get', 'order-post', 'login', 'pay-order', 'durability', 'growth'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  durationSec: number;
  connections: number;
  scenarios: ScenarioName[];
  smoke: boolean;
  /** Orders in the store for each growth step. */
  growthSizes: number[];
  /** Untimed run before each measured one, so JIT and caches are warm. */
  warmupSec: number;
  bcryptCost: number;
  logLevel: string;
  /** Where the JSON goes; default bench/results/bench-<time>.json. */
  out?: string;
  /** `compiled`: the services and the baseline as built JavaScript, as in production; `tsx`: their TypeScript through tsx, as before. */
  runtime: 'compiled' | 'tsx';
  /** NODE_OPTIONS for the shop's six processes (not the baseline, not the bench), e.g. a young-generation size. */
  nodeOptions?: string;
  help: boolean;
}

export const USAGE = `Usage: pnpm bench [--duration <s>] [--connections <n>] [--only <${SCENARIOS.join(',')}>]
                  [--smoke] [--growth <n,n,...>] [--bcrypt-cost <4-15>] [--log-level <level>] [--out <file>]
                  [--runtime <compiled|tsx>] [--node-options "<flags>"] [--help]
See bench/README.md.`;

/** Parses the command line; throws with the usage on anything unknown or malformed. */
export function parseOptions(argv: string[]): BenchOptions {
  const args = argv.filter((arg) => arg !== '--'); // `pnpm bench -- --smoke` passes the separator on
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!;
    if (name === '--smoke' || name === '--help') flags.set(name, 'true');
    else if (name.startsWith('--') && args[i + 1] !== undefined) flags.set(name, args[++i]!);
    else throw new Error(`Unknown or incomplete option "${name}".\n${USAGE}`);
  }
  const known = [
    '--smoke',
    '--duration',
    '--connections',
    '--only',
    '--growth',
    '--bcrypt-cost',
    '--log-level',
    '--out',
    '--runtime',
    '--node-options',
    '--help',
  ];
  for (const name of flags.keys())
    if (!known.includes(name)) throw new Error(`Unknown option "${name}".\n${USAGE}`);

  const smoke = flags.has('--smoke');
  const runtime = flags.get('--runtime') ?? 'compiled';
  if (runtime !== 'compiled' && runtime !== 'tsx') {
    throw new Error(`--runtime must be compiled or tsx (got "${runtime}").\n${USAGE}`);
  }
  const only = flags.get('--only')?.split(',').filter(Boolean);
  for (const name of only ?? []) {
    if (!(SCENARIOS as readonly string[]).includes(name))
      throw new Error(`Unknown scenario "${name}".\n${USAGE}`);
  }
  return {
    smoke,
    durationSec: positive(flags.get('--duration'), smoke ? 1 : 10, '--duration'),
    connections: positive(flags.get('--connections'), 10, '--connections'),
    scenarios: (only as ScenarioName[] | undefined) ?? [...SCENARIOS],
    growthSizes:
      flags
        .get('--growth')
        ?.split(',')
        .map((n) => positive(n, 0, '--growth')) ?? (smoke ? [1_000, 10_000] : [1_000, 100_000, 1_000_000]),
    warmupSec: smoke ? 0 : 2,
    bcryptCost: positive(flags.get('--bcrypt-cost'), 10, '--bcrypt-cost'),
    logLevel: flags.get('--log-level') ?? 'info',
    out: flags.get('--out'),
    runtime,
    nodeOptions: flags.get('--node-options'),
    help: flags.has('--help'),
  };
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got "${value}").`);
  return n;
}
