import { describe, expect, it } from 'vitest';
import { ConfigError, dataPath } from '@shop/shared';
import { readConfig } from '../src/config.ts';

describe('configuration', () => {
  it('when nothing is set, the defaults point at the local services and the Gmail sandbox with dummy credentials', () => {
    const config = readConfig({});

    expect(config).toMatchObject({
      NOTIFICATION_SERVICE_PORT: 3004,
      USER_SERVICE_URL: 'http://127.0.0.1:3001',
      ORDER_SERVICE_URL: 'http://127.0.0.1:3002',
      NOTIFICATION_DB_PATH: dataPath('notification-service.sqlite'),
      NOTIFY_RETRY_BASE_MS: 1000,
      NOTIFY_BLOCKED_RETRY_BASE_MS: 60_000,
      NOTIFY_BLOCKED_RETRY_MAX_MS: 10_800_000,
      NOTIFICATION_GIVE_UP_AFTER_HOURS: 48,
      NOTIFY_WORKER_INTERVAL_MS: 500,
    });
    expect(config.gmail).toEqual({
      apiUrl: 'http://127.0.0.1:8025',
      tokenUrl: 'http://127.0.0.1:8025/token',
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-secret',
      refreshToken: 'sandbox-refresh-token',
      sender: 'Shop <no-reply@shop.local>',
      sandbox: true,
    });
  });

  it('when all three Gmail credentials are set, real Gmail and Google token URLs are used', () => {
    const config = readConfig({
      GMAIL_CLIENT_ID: 'id.apps.googleusercontent.com',
      GMAIL_CLIENT_SECRET: 'secret',
      GMAIL_REFRESH_TOKEN: '1//refresh',
      GMAIL_SENDER: 'Café Shop <shop@example.com>',
    });

    expect(config.gmail).toEqual({
      apiUrl: 'https://gmail.googleapis.com',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      clientId: 'id.apps.googleusercontent.com',
      clientSecret: 'secret',
      refreshToken: '1//refresh',
      sender: 'Café Shop <shop@example.com>',
      sandbox: false,
    });
  });

  it('when only GMAIL_API_URL is set, the sandbox there is used and its token URL follows it', () => {
    const config = readConfig({ GMAIL_API_URL: 'http://127.0.0.1:9025/', GMAIL_CLIENT_ID: '' });

    expect(config.gmail).toMatchObject({
      apiUrl: 'http://127.0.0.1:9025',
      tokenUrl: 'http://127.0.0.1:9025/token',
      sandbox: true,
    });
  });

  it('when only some Gmail credentials are set, start-up stops with one line naming the missing ones', () => {
    const attempt = () => readConfig({ GMAIL_CLIENT_ID: 'id' });

    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      'Invalid configuration: GMAIL_CLIENT_SECRET must be set together with GMAIL_CLIENT_ID (not set); ' +
        'GMAIL_REFRESH_TOKEN must be set together with GMAIL_CLIENT_ID (not set)',
    );
  });

  it('when values are malformed, each bad variable is named with what was given', () => {
    const attempt = () =>
      readConfig({
        NOTIFICATION_SERVICE_PORT: 'abc',
        NOTIFICATION_GIVE_UP_AFTER_HOURS: '0',
        GMAIL_API_URL: 'ftp://x',
        GMAIL_SENDER: 'no address here',
      });

    expect(attempt).toThrow(/NOTIFICATION_SERVICE_PORT must be a whole number from 0 to 65535 \(got "abc"\)/);
    expect(attempt).toThrow(/NOTIFICATION_GIVE_UP_AFTER_HOURS must be a number of hours above 0/);
    expect(attempt).toThrow(/GMAIL_API_URL must be an http\(s\) URL \(got "ftp:\/\/x"\)/);
    expect(attempt).toThrow(/GMAIL_SENDER must be an address/);
  });

  it('when real Gmail credentials are set without GMAIL_SENDER, start-up stops with one line naming it', () => {
    const attempt = () =>
      readConfig({ GMAIL_CLIENT_ID: 'id', GMAIL_CLIENT_SECRET: 'secret', GMAIL_REFRESH_TOKEN: '1//refresh' });

    expect(attempt).toThrow(
      "Invalid configuration: GMAIL_SENDER must be set with real Gmail credentials: the account's address or a verified send-as alias (not set)",
    );
  });

  it('when NODE_ENV is production and no Gmail credentials are set, start-up refuses the sandbox fallback, naming the variables', () => {
    const attempt = () => readConfig({ NODE_ENV: 'production' });

    expect(attempt).toThrow(/^Invalid configuration: GMAIL_CLIENT_ID must be set in production/);
    expect(attempt).toThrow(/GMAIL_SENDER must be set in production \(not set\)/);
  });

  it('when NODE_ENV is production with credentials and a sender, it starts against real Gmail', () => {
    const config = readConfig({
      NODE_ENV: 'production',
      GMAIL_CLIENT_ID: 'id',
      GMAIL_CLIENT_SECRET: 'secret',
      GMAIL_REFRESH_TOKEN: '1//refresh',
      GMAIL_SENDER: 'Shop <shop@example.com>',
    });

    expect(config.gmail).toMatchObject({ sandbox: false, sender: 'Shop <shop@example.com>' });
  });
});
