import express from 'express';
import { expect } from 'vitest';
import { NoAnswerError } from '../../src/clients/index.ts';
import { listen } from '../../src/testing/index.ts';

/** The URL of a port nothing listens on: a server started on a free port and closed again. */
export async function closedPortUrl(): Promise<string> {
  const server = await listen(express());
  await server.close();
  return server.url;
}

/** The NoAnswerError a call rejected with; fails the test if it got an answer or another error. */
export const noAnswer = (promise: Promise<unknown>): Promise<NoAnswerError> =>
  promise.then(
    () => expect.unreachable('the call got an answer'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(NoAnswerError);
      return error as NoAnswerError;
    },
  );
