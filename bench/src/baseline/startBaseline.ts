import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tsxArgs } from '@shop/shared';

export interface Baseline {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const COMPILED = fileURLToPath(new URL('../../dist/baseline/server.js', import.meta.url));
const SOURCE = fileURLToPath(new URL('./server.ts', import.meta.url));

/** Starts the bare Express app in its own process, loaded the same way as the services. */
export async function startBaseline(runtime: 'compiled' | 'tsx'): Promise<Baseline> {
  const args = runtime === 'compiled' ? [COMPILED] : tsxArgs(SOURCE);
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the baseline app did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`the baseline app exited with code ${code}`)));
    lines.on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
