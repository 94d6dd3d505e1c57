import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createLogger, listenFailure, startServer } from '../src/index.ts';

let taken: Server;
let port: number;
beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
  port = (taken.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((done) => taken.close(() => done())));

const start = (options: { portVariable?: string; host?: string }) =>
  startServer(express(), { port, host: '127.0.0.1', logger: createLogger('test', 'silent'), ...options });

describe('a server that cannot listen', () => {
  it('when its port is in use, start-up stops with one line naming the port variable', async () => {
    const error = await start({ portVariable: 'ORDER_SERVICE_PORT' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `Cannot listen: ORDER_SERVICE_PORT=${port} is already in use on 127.0.0.1 (EADDRINUSE); stop what uses it or set another port`,
    );
  });

  it('when no port variable is given (tests), the original error comes back', async () => {
    const error = await start({}).catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
  });

  it('when HOST is not an address of this machine, the line names HOST', () => {
    const error = Object.assign(new Error('listen EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' });
    const line = (
      listenFailure(error, { port: 3002, host: '10.9.9.9', portVariable: 'ORDER_SERVICE_PORT' }) as Error
    ).message;
    expect(line).toBe(
      'Cannot listen: HOST=10.9.9.9 is not an address of this machine (EADDRNOTAVAIL); use 127.0.0.1 or 0.0.0.0',
    );
  });
});
