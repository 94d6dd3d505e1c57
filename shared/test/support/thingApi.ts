import { z } from 'zod';
import { defineApi, endpoint } from '../../src/contracts/index.ts';

/** A small API for the typed client's tests: a GET, an idempotent POST, a DELETE without a body and a POST with a declared refusal. */
const Thing = z.object({ id: z.string(), size: z.number() });
export const thingApi = defineApi({
  service: 'thing-service',
  description: 'Things.',
  endpoints: {
    getThing: endpoint({
      operationId: 'getThing',
      tag: 't',
      method: 'get',
      path: '/things/:id',
      summary: 'A thing',
      access: { services: ['payment-service'] },
      params: z.object({ id: z.string() }),
      responses: { 200: { description: 'It.', schema: Thing } },
    }),
    touchThing: endpoint({
      operationId: 'touchThing',
      tag: 't',
      method: 'post',
      path: '/things/:id/touch',
      summary: 'Touch it; a repeat changes nothing',
      access: { services: ['payment-service'] },
      idempotent: true,
      params: z.object({ id: z.string() }),
      responses: { 200: { description: 'It.', schema: Thing } },
    }),
    dropThing: endpoint({
      operationId: 'dropThing',
      tag: 't',
      method: 'delete',
      path: '/things/:id',
      summary: 'Drop it',
      access: { services: ['payment-service'] },
      params: z.object({ id: z.string() }),
      responses: { 204: { description: 'Dropped.' } },
    }),
    makeThing: endpoint({
      operationId: 'makeThing',
      tag: 't',
      method: 'post',
      path: '/things',
      summary: 'Make one',
      access: { services: ['payment-service'] },
      body: z.object({ size: z.number() }),
      responses: {
        201: { description: 'Made.', schema: Thing },
        409: { description: 'Too big.', codes: ['too_big'] },
      },
    }),
  },
});
