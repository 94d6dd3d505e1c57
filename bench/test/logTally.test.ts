import { describe, expect, it } from 'vitest';
import { tallyByMessage } from '../src/logTally.ts';

const line = (process: string, level: string, msg: string) =>
  `${process} | ${JSON.stringify({ level, time: '2026-11-27T02:00:00.000Z', service: process, msg })}`;

describe('the log lines a scenario left, by message', () => {
  it('counts lines per process, level and message, the most frequent first; a line that is not JSON counts by its start', () => {
    const tally = tallyByMessage([
      line('payment-service', 'warn', 'request aborted'),
      line('order-service', 'warn', 'order_created mail request failed; will retry'),
      line('order-service', 'warn', 'order_created mail request failed; will retry'),
      'order-service | Error: something printed by hand',
      line('order-service', 'error', 'order_created mail request failed; will retry'),
    ]);

    expect(Object.entries(tally)).toEqual([
      ['order-service warn: order_created mail request failed; will retry', 2],
      ['payment-service warn: request aborted', 1],
      ['order-service: Error: something printed by hand', 1],
      ['order-service error: order_created mail request failed; will retry', 1],
    ]);
  });
});
