import express, { type Express } from 'express';
import type { Logger } from '@shop/shared';
import { listen } from '@shop/shared/testing';

/**
 * A server on a free port that gets its app later: for two services that each need the other's
 * URL to be built (the notification-service and a service that asks it for mail). Until `serve`
 * is called it answers 503.
 */
export async function listenFirst(logger: Logger) {
  const built: { app?: Express } = {};
  const front = express().use((req, res, next) =>
    built.app ? built.app(req, res, next) : res.status(503).end(),
  );
  const server = await listen(front, logger);
  return {
    url: server.url,
    serve: (app: Express) => void (built.app = app),
    close: () => server.close(),
  };
}
