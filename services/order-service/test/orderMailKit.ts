import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type Response } from 'express';
import { listen } from '@shop/shared/testing';
import { buildApp } from './helpers.ts';

export type Answer = 'accept' | 'unavailable' | 'hang' | 'user_gone';

/**
 * A stand-in notification-service on a real port: records each notify call (with the order it
 * carries) and answers it as `answer` says at that moment (switchable), `delayMs` later. Like the
 * real one, it keeps one mail per order: a repeat is answered with the same notification id.
 * `maxInFlight` is the most calls it held at once.
 */
export async function notificationStandIn(initial: Answer) {
  const received: Array<{ order_id: string; answered: Answer; order: unknown }> = [];
  const hanging: Response[] = [];
  const mails = new Map<string, string>();
  const standIn = { answer: initial, delayMs: 0, received, mails, inFlight: 0, maxInFlight: 0 };
  const app = express().use(express.json());
  app.post('/api/notify', async (req, res) => {
    const { order_id, order } = req.body as { order_id: string; order?: unknown };
    const answer = standIn.answer;
    received.push({ order_id, answered: answer, order });
    if (answer === 'hang') return void hanging.push(res);
    standIn.maxInFlight = Math.max(standIn.maxInFlight, ++standIn.inFlight);
    if (standIn.delayMs > 0) await sleep(standIn.delayMs);
    standIn.inFlight--;
    if (answer === 'unavailable') return void res.status(503).json({ code: 'unavailable' });
    if (answer === 'user_gone') return void res.status(404).json({ code: 'user_not_found' });
    if (!mails.has(order_id)) mails.set(order_id, randomUUID());
    res.status(200).json({ notification_id: mails.get(order_id), status: 'sent' });
  });
  const server = await listen(app);
  return Object.assign(standIn, {
    server,
    /** How many calls arrived for `orderId`. */
    callsFor: (orderId: string) => received.filter((r) => r.order_id === orderId).length,
    /** Ends the calls held so far without an answer (their callers see the connection drop). */
    releaseHanging() {
      for (const res of hanging.splice(0)) res.destroy();
    },
    async close() {
      for (const res of hanging) res.destroy();
      await server.close();
    },
  });
}

/**
 * What the order mail tests start, stopped by `cleanUp` (each file's afterEach): stand-ins, and
 * order-services built with `defaults` (e.g. the worker running) under each test's own options.
 */
export function orderMailKit(defaults: Parameters<typeof buildApp>[0] = {}) {
  const cleanups: Array<() => Promise<void> | void> = [];
  return {
    /** Runs `cleanup` at the end of the test, before what was registered earlier. */
    onCleanUp: (cleanup: () => Promise<void> | void) => void cleanups.push(cleanup),
    async cleanUp() {
      while (cleanups.length > 0) await cleanups.pop()!();
    },
    async startStandIn(initial: Answer) {
      const standIn = await notificationStandIn(initial);
      cleanups.push(() => standIn.close());
      return standIn;
    },
    startOrders(options: Parameters<typeof buildApp>[0]) {
      const built = buildApp({ ...defaults, ...options });
      cleanups.push(() => built.close());
      return built;
    },
  };
}
