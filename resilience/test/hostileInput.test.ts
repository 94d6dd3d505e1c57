import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Order, Payment, Preferences, User } from '@shop/shared/contracts';
import { call, eventually } from '../../e2e/support/api.ts';
import { endpointName, endpoints } from '../support/fuzzEndpoints.ts';
import { edgeRequests } from '../support/fuzzEdgeRequests.ts';
import { hostileRequests, type FuzzContext } from '../support/fuzzRequests.ts';
import { describeFailure, mapBounded, sendRaw, violation } from '../support/fuzzRunner.ts';
import { registerAndLogin, type Account } from '../../e2e/support/accounts.ts';
import { createOrder } from '../support/securityAccounts.ts';
import { leaksOfSecrets } from '../support/securityChecks.ts';
import { startKeyedStack, type KeyedStack } from '../support/securityStack.ts';

// A fixed seed, so a failure replays exactly: FUZZ_SEED=<seed> npx vitest run --project resilience hostileInput
const SEED = Number(process.env.FUZZ_SEED ?? 20_251_121);
const RUNS_PER_ENDPOINT = 1000;
const IN_FLIGHT = 16;
const SERVICES = ['user-service', 'order-service', 'payment-service', 'notification-service'] as const;

let keyed: KeyedStack;
let account: Account;
let ctx: FuzzContext;
const bodies: string[] = [];
let sent = 0;

const url = (name: (typeof SERVICES)[number], path: string) => `${keyed.shop.url(name)}${path}`;

beforeAll(async () => {
  console.log(`hostile input: fast-check seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
  keyed = await startKeyedStack();
  account = await registerAndLogin(keyed.shop.url('user-service'), 'fuzz');
  const paidOrder = await createOrder(keyed.shop.url('order-service'), account);
  const pendingOrder = await createOrder(keyed.shop.url('order-service'), account);
  const paid = await call('POST', url('payment-service', '/api/pay-order'), {
    token: account.token,
    body: { order_id: paidOrder, payment_method: 'pm_card_visa' },
  });
  expect(paid.status).toBe(200);
  const notificationId = await eventually('the welcome notification', async () => {
    const res = await call('GET', url('notification-service', '/api/notifications'), {
      token: account.token,
    });
    return res.body.data?.[0]?.id as string | undefined;
  });
  const ids: Record<string, string> = {
    user: account.id,
    order: paidOrder,
    payment: paid.body.id,
    notifications: notificationId,
  };
  ctx = {
    samples: {
      username: 'fuzz-registrant',
      email: account.email,
      password: account.password,
      product_name: 'Keyboard',
      quantity: 1,
      price: 19.99,
      currency: 'USD',
      user_id: account.id,
      order_id: pendingOrder,
      payment_method: 'pm_card_visa',
      status: 'Paid',
      type: 'order_paid',
      limit: 10,
    },
    idFor: (path) => ids[path.split('/')[2] ?? ''] ?? '00000000-0000-4000-8000-000000000000',
    userToken: account.token,
    serviceToken: (caller, audience) => keyed.serviceToken(caller, audience),
  };
});

afterAll(async () => {
  await keyed?.shop.stop();
});

describe('hostile input against the four services as processes', () => {
  for (const [index, endpoint] of endpoints.entries()) {
    const name = endpointName(endpoint);
    it(`${name} (${endpoint.service}): ${RUNS_PER_ENDPOINT} generated hostile requests plus edge cases -> 0 5xx, every 4xx a problem document, the service healthy after`, async () => {
      const seed = SEED + index;
      const generated = fc.sample(hostileRequests(endpoint, ctx), { seed, numRuns: RUNS_PER_ENDPOINT });
      const requests = [...generated, ...edgeRequests(endpoint, ctx)];
      const base = keyed.shop.url(endpoint.service);
      const outcomes = await mapBounded(requests, IN_FLIGHT, (request) => sendRaw(base, request));
      sent += outcomes.length;
      bodies.push(...outcomes.map((o) => o.text));

      const byClass = { '2xx': 0, '4xx': 0, '5xx': 0, none: 0 };
      for (const o of outcomes) {
        const group = o.status === 0 ? 'none' : o.status >= 500 ? '5xx' : o.status >= 400 ? '4xx' : '2xx';
        byClass[group] += 1;
      }
      const failures = outcomes.flatMap((o) => {
        const why = violation(o);
        return why ? [describeFailure(o, why)] : [];
      });
      const summary = `${name}: ${outcomes.length} requests (seed ${seed}), ${byClass['2xx']} 2xx, ${byClass['4xx']} 4xx, ${byClass['5xx']} 5xx, ${byClass.none} unanswered, ${failures.length} broke the property`;
      console.log(summary);
      expect(outcomes.length).toBeGreaterThanOrEqual(RUNS_PER_ENDPOINT);
      expect(failures.slice(0, 5), summary).toEqual([]);
      const overLimit = outcomes.filter((o) => o.request.attack === 'body just over the limit');
      expect(
        overLimit.map((o) => o.status),
        'a body over the limit is a 413',
      ).toEqual(overLimit.map(() => 413));

      for (const service of SERVICES) {
        expect((await call('GET', url(service, '/health'))).status, `${service} /health`).toBe(200);
        expect((await call('GET', url(service, '/ready'))).status, `${service} /ready`).toBe(200);
      }
    });
  }

  it('after the fuzzing, a new user and a new order come out exactly as the contracts say (no polluted prototype, no injected field)', async () => {
    const fresh = await registerAndLogin(keyed.shop.url('user-service'), 'after-fuzz');
    const me = await call('GET', url('user-service', '/api/user/me'), { token: fresh.token });
    expect(Object.keys(me.body).sort()).toEqual(Object.keys(User.shape).sort());
    const prefs = await call('GET', url('user-service', `/api/user/${fresh.id}/preferences`), {
      token: fresh.token,
    });
    expect(Object.keys(prefs.body).sort()).toEqual(Object.keys(Preferences.shape).sort());
    expect(prefs.body).toMatchObject({ order_updates: { email: true }, welcome: { email: true } });

    const orderId = await createOrder(keyed.shop.url('order-service'), fresh);
    const order = await call('GET', url('order-service', `/api/order/${orderId}`), { token: fresh.token });
    expect(Object.keys(order.body).sort()).toEqual(Object.keys(Order.shape).sort());
    expect(order.body).toMatchObject({
      status: 'Pending',
      amount: 3998,
      unit_amount: 1999,
      user_id: fresh.id,
    });
    const paid = await call('POST', url('payment-service', '/api/pay-order'), {
      token: fresh.token,
      body: { order_id: orderId, payment_method: 'pm_card_visa' },
    });
    expect(paid.status).toBe(200);
    expect(Object.keys(paid.body).sort()).toEqual(Object.keys(Payment.shape).sort());
    expect(paid.body).toMatchObject({ status: 'succeeded', amount: 3998 });

    const polluted = bodies.filter((b) => b.includes('"polluted"') && !b.includes('urn:shop:problem'));
    expect(polluted, `${sent} answers: none may carry a polluted key`).toEqual([]);
  });

  it('no answer of the whole run and no log line contains the password or a bcrypt hash', () => {
    expect(sent).toBeGreaterThanOrEqual(endpoints.length * RUNS_PER_ENDPOINT);
    const leaks = leaksOfSecrets([...bodies, ...keyed.shop.logs], [account.password]);
    expect(leaks, `${bodies.length} answers and ${keyed.shop.logs.length} log lines checked`).toEqual([]);
  });
});
