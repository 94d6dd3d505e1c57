// The images' HEALTHCHECK (`node -e "import('@shop/shared/healthcheck')"`): exits 0 when the
// process the image runs (SHOP_PROCESS) answers GET /health on the port it listens on (its port
// variable, else its default), 1 otherwise.
import { LOCAL_PROCESSES, type LocalProcessName } from '../config/localUrls.ts';

const name = process.env.SHOP_PROCESS as LocalProcessName;
const local = LOCAL_PROCESSES[name];
if (!local) {
  console.error(
    `healthcheck: SHOP_PROCESS must name one of ${Object.keys(LOCAL_PROCESSES).join(', ')} (got "${name}")`,
  );
  process.exit(1);
}
const port = process.env[local.portVariable] || local.port;
try {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) });
  process.exit(res.ok ? 0 : 1);
} catch (error) {
  console.error(`healthcheck: ${name} on port ${port}: ${(error as Error).message}`);
  process.exit(1);
}
