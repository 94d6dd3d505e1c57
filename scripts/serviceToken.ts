/**
 * `pnpm service-token <caller> <target>`: prints a service token of <caller> for <target>, signed
 * with <caller>'s key: SERVICE_SIGNING_KEY (or _FILE) from .env or the environment, else this
 * checkout's dev key. What an operator needs for an operator endpoint, e.g.
 *   pnpm -s service-token notification-service notification-service   (POST /api/notifications/:id/resend)
 * The token expires after 5 minutes (SERVICE_TOKEN_TTL_SECONDS to change it, at most an hour).
 */
import { loadEnvFile, resolveAuthKeys, signServiceToken } from '@shop/shared';
import { SERVICE_NAMES, type ServiceName } from '@shop/shared/contracts';

const USAGE = `usage: pnpm -s service-token <caller> <target>   (each one of: ${SERVICE_NAMES.join(', ')})`;
const [caller, target] = process.argv.slice(2);
const isService = (name: string | undefined): name is ServiceName =>
  SERVICE_NAMES.includes(name as ServiceName);

if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
if (!isService(caller) || !isService(target)) {
  console.error(USAGE);
  process.exit(2);
}
loadEnvFile();
const ttl = Number(process.env.SERVICE_TOKEN_TTL_SECONDS ?? 300);
if (!Number.isInteger(ttl) || ttl < 1 || ttl > 3600) {
  console.error(`SERVICE_TOKEN_TTL_SECONDS must be a whole number from 1 to 3600 (got ${ttl})`);
  process.exit(2);
}
try {
  const keys = resolveAuthKeys(
    { NODE_ENV: process.env.NODE_ENV ?? 'development', ...process.env },
    { service: caller, callers: [], needsPrivateKey: false },
  );
  console.log(signServiceToken(keys.signingKey, caller, target, ttl));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
