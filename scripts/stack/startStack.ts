import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { tsxArgs } from '@shop/shared/startup';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, processSpecs, type Ports, type ProcessName, type ProcessSpec } from './processes.ts';

/**
 * How each process runs: `compiled` is its `dist/main.js` with plain node, as in the images (call
 * buildWorkspace first); `source` is its TypeScript through tsx; `watch` is the same, restarted by
 * node when a file it loaded changes.
 */
export type Runtime = 'compiled' | 'source' | 'watch';

export interface StackOptions {
  ports: Ports;
  /** Default `compiled`. */
  runtime?: Runtime;
  /** Extra environment for every process (e.g. database paths in a temp folder for tests). */
  env?: Record<string, string>;
  /** Extra environment for one process, over `env` (e.g. its own SERVICE_SIGNING_KEY). */
  envByProcess?: Partial<Record<ProcessName, Record<string, string>>>;
  /** Receives every output line of every process, with its name. */
  onLine?: (name: ProcessName, line: string) => void;
  readyTimeoutMs?: number;
}

export interface RunningProcess {
  spec: ProcessSpec;
  child: ChildProcess;
  url: string;
}

export interface Stack {
  processes: Map<ProcessName, RunningProcess>;
  url(name: ProcessName): string;
  /** SIGKILLs one process (crash tests) and resolves when it is gone. */
  kill(name: ProcessName, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped process again and waits until it is ready; `env` adds to the stack's for this run. */
  restart(name: ProcessName, env?: Record<string, string>): Promise<void>;
  /** SIGTERM to all, SIGKILL to whatever is left after the timeout. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Real Stripe or Gmail are used instead of the sandboxes when their credentials are set. */
export function sandboxChoice(env: NodeJS.ProcessEnv) {
  return {
    sandboxStripe: !env.STRIPE_SECRET_KEY,
    sandboxGmail: !(env.GMAIL_CLIENT_ID && env.GMAIL_CLIENT_SECRET && env.GMAIL_REFRESH_TOKEN),
  };
}

/** Node's arguments for a process's entry, in its package folder. */
export function entryArgs(runtime: Runtime): string[] {
  if (runtime === 'compiled') return ['dist/main.js'];
  return runtime === 'watch' ? ['--watch', ...tsxArgs('src/main.ts')] : tsxArgs('src/main.ts');
}

/**
 * Starts the sandboxes and the four services as separate processes, in dependency order, each
 * waited on until its readiness path answers 200.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const baseEnv = { ...process.env, ...options.env };
  const specs = processSpecs(options.ports, sandboxChoice(baseEnv));
  const processes = new Map<ProcessName, RunningProcess>();
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;

  const launch = async (spec: ProcessSpec, env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, entryArgs(options.runtime ?? 'compiled'), {
      cwd: resolve(REPO_ROOT, spec.dir),
      env: processEnv(spec, { ...options.env, ...options.envByProcess?.[spec.name], ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => options.onLine?.(spec.name, line));
    }
    const running = { spec, child, url: `http://127.0.0.1:${options.ports[spec.name]}` };
    processes.set(spec.name, running);
    await waitReady(running, readyTimeoutMs);
  };

  try {
    for (const spec of specs) await launch(spec);
  } catch (error) {
    await stopAll(processes, 5_000);
    throw error;
  }

  return {
    processes,
    url: (name) => processes.get(name)?.url ?? `http://127.0.0.1:${options.ports[name]}`,
    async kill(name, signal = 'SIGKILL') {
      const running = processes.get(name);
      if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return;
      const exited = once(running.child, 'exit');
      running.child.kill(signal);
      await exited;
    },
    async restart(name, env) {
      const running = processes.get(name);
      if (!running) throw new Error(`${name} is not part of this stack`);
      await launch(running.spec, env);
    },
    stop: (timeoutMs = 10_000) => stopAll(processes, timeoutMs),
  };
}

/**
 * The caller's environment, then the stack's wiring (ports, neighbours' URLs), then the explicit
 * overrides. An empty value means "unset", so a test can hide a variable of the developer's shell;
 * the processes do not read `.env` again, since the caller's environment already holds what it says.
 */
function processEnv(spec: ProcessSpec, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env, ...overrides, SHOP_ENV_FILE: 'none' };
  for (const [key, value] of Object.entries(env)) if (value === '') delete env[key];
  return env;
}

async function waitReady(running: RunningProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) {
      throw new Error(`${running.spec.name} exited with code ${running.child.exitCode} while starting`);
    }
    try {
      const res = await fetch(`${running.url}${running.spec.readyPath}`, {
        signal: AbortSignal.timeout(1_000),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  throw new Error(
    `${running.spec.name} was not ready at ${running.url}${running.spec.readyPath} within ${timeoutMs} ms`,
  );
}

async function stopAll(processes: Map<ProcessName, RunningProcess>, timeoutMs: number): Promise<void> {
  // Stop in reverse start order: callers (payment) before the services they call.
  const alive = [...processes.values()]
    .reverse()
    .filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  await Promise.all(
    alive.map(async ({ child }) => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    }),
  );
}
