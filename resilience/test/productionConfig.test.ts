import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../../services/notification-service/dist/main.js', import.meta.url));

/** Starts the compiled notification-service as production would, with only `env`; answers how it ended. */
async function startInProduction(env: Record<string, string>) {
  try {
    await run(process.execPath, [main], {
      // No .env file, a port nobody uses, a throw-away database: only what the test gives.
      env: {
        PATH: process.env.PATH ?? '',
        SHOP_ENV_FILE: 'none',
        NODE_ENV: 'production',
        NOTIFICATION_SERVICE_PORT: '0',
        NOTIFICATION_DB_PATH: ':memory:',
        ...env,
      },
      timeout: 20_000,
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    const { code, stderr } = error as { code?: number; stderr?: string };
    return { code: code ?? -1, stderr: stderr ?? '' };
  }
}

describe('production never falls back to the Gmail sandbox', () => {
  it('when NODE_ENV=production and no Gmail credentials are set, the notification-service refuses to start with a line naming GMAIL_CLIENT_ID', async () => {
    const ended = await startInProduction({});
    expect(ended.code).not.toBe(0);
    expect(ended.stderr).toMatch(/Invalid configuration: .*GMAIL_CLIENT_ID must be set in production/);
  });

  it('when NODE_ENV=production with credentials but no GMAIL_SENDER, it refuses to start naming GMAIL_SENDER', async () => {
    const ended = await startInProduction({
      GMAIL_CLIENT_ID: 'id.apps.googleusercontent.com',
      GMAIL_CLIENT_SECRET: 'secret',
      GMAIL_REFRESH_TOKEN: '1//refresh',
    });
    expect(ended.code).not.toBe(0);
    expect(ended.stderr).toMatch(/GMAIL_SENDER must be set with real Gmail credentials/);
    expect(ended.stderr).not.toMatch(/GMAIL_CLIENT_ID must be set/);
  });
});
