/**
 * `pnpm bench:call`: the caller's CPU per call between two services, for the shared HTTP client
 * beside axios (what the shared client was built on before) and beside the floor, a bare
 * `http.request` on the same keep-alive agent. The other side is the bench's bare Express app in its
 * own process, so only the calling side is measured. Rounds alternate so every client sees the same
 * machine. Prints µs of CPU (user + system) per call for each round and the median.
 */
import { Agent, request } from 'node:http';
import axios from 'axios';
import { createHttpClient } from '@shop/shared/clients';
import { startBaseline } from '../baseline/startBaseline.ts';

const CALLS_PER_ROUND = 4_000;
const IN_FLIGHT = 4;
const ROUNDS = 5;

const peer = await startBaseline('tsx');
const agent = new Agent({ keepAlive: true, timeout: 4_000 });
const { port } = new URL(peer.url);

const shared = createHttpClient({
  baseURL: peer.url,
  timeoutMs: 2_000,
  target: 'peer',
  token: () => 'token',
});
const viaShared = () => shared.request({ method: 'GET', path: '/json' });

// As the shared client used axios: an instance with a timeout, the agent and the same headers.
const axiosClient = axios.create({ baseURL: peer.url, timeout: 2_000, httpAgent: agent });
const viaAxios = () => axiosClient.get('/json', { headers: { authorization: 'Bearer token' } });

const viaHttp = () =>
  new Promise<unknown>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/json', agent, headers: { authorization: 'Bearer token' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      },
    );
    req.on('error', reject);
    req.end();
  });

async function cpuMicrosPerCall(call: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < CALLS_PER_ROUND; i += IN_FLIGHT) {
    await Promise.all(Array.from({ length: IN_FLIGHT }, call));
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / CALLS_PER_ROUND;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const clients = {
  'axios (before)': viaAxios,
  'shared createHttpClient': viaShared,
  'bare http.request (floor)': viaHttp,
};
const rounds = new Map<string, number[]>(Object.keys(clients).map((name) => [name, []]));
try {
  for (const call of Object.values(clients)) await cpuMicrosPerCall(call); // warm-up round
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, call] of Object.entries(clients)) rounds.get(name)!.push(await cpuMicrosPerCall(call));
    console.error(`round ${round} of ${ROUNDS} done`);
  }
} finally {
  await peer.stop();
  agent.destroy();
}
console.log(
  `Caller's CPU µs per GET, ${CALLS_PER_ROUND} calls a round, ${IN_FLIGHT} in flight, ${ROUNDS} rounds alternated (Node ${process.version})`,
);
for (const [name, values] of rounds) {
  console.log(
    `${name.padEnd(27)} median ${median(values).toFixed(1).padStart(6)}   rounds ${values.map((v) => v.toFixed(1)).join(' ')}`,
  );
}
