import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '@shop/shared';
import { SERVICE_NAMES, SHOP_APIS, serviceAccess, type ServiceName } from '@shop/shared/contracts';
import { call as rawCall, eventually } from '../../e2e/support/api.ts';
import type { ProcessName } from '../../scripts/stack/processes.ts';
import { endpointName, endpoints, type Endpoint } from '../support/fuzzEndpoints.ts';
import { registerAndLogin, type Account } from '../../e2e/support/accounts.ts';
import { createOrder } from '../support/securityAccounts.ts';
import { isProblem, leaksOfSecrets } from '../support/securityChecks.ts';
import { startKeyedStack, type KeyedStack } from '../support/securityStack.ts';
import { es256, forgedTokens, serviceClaims } from '../support/securityTokens.ts';

let keyed: KeyedStack;
let alice: Account; // the victim
let mallory: Account; // the attacker, a registered user with a real token
const SECRET_PRODUCT = `alice-secret-product-${randomUUID().slice(0, 8)}`;
const victim = { pendingOrder: '', paidOrder: '', payment: '', notification: '' };

// Every answer of the run, for the password and hash check at the end.
const answers: string[] = [];
const passwords: string[] = [];
async function call(...args: Parameters<typeof rawCall>) {
  const res = await rawCall(...args);
  answers.push(typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? ''));
  return res;
}
const url = (name: ProcessName, path: string) => `${keyed.shop.url(name)}${path}`;
const orderStatus = async (id: string) =>
  (
    await call('GET', url('order-service', `/api/order/${id}`), {
      token: keyed.serviceToken('payment-service', 'order-service'),
    })
  ).body.status;
/** The victim's payment, read as its owner. */
const paymentOf = async (id: string) =>
  (await call('GET', url('payment-service', `/api/payment/${id}`), { token: alice.token })).body;
const preferencesOf = async (account: Account) =>
  (await call('GET', url('user-service', `/api/user/${account.id}/preferences`), { token: account.token }))
    .body;

/** A request on `endpoint` that names the victim's resources wherever the endpoint takes an id. */
function aimedAtVictim(endpoint: Endpoint) {
  const ids: Record<string, string> = {
    user: alice.id,
    order: victim.pendingOrder,
    payment: victim.payment,
    notifications: victim.notification,
  };
  const path = endpoint.path.replace(/\{\w+\}/g, () => ids[endpoint.path.split('/')[2] ?? ''] ?? alice.id);
  const queryValues: Record<string, string> = { user_id: alice.id, order_id: victim.paidOrder };
  const query = endpoint.queryParams.filter((q) => q in queryValues).map((q) => `${q}=${queryValues[q]}`);
  const fields = Object.keys(endpoint.body?.properties ?? {});
  const body = !endpoint.body
    ? undefined
    : fields.includes('product_name')
      ? { product_name: 'Mallory order', quantity: 1, price: 1, user_id: alice.id }
      : fields.includes('order_id')
        ? { order_id: victim.pendingOrder, ...(fields.includes('user_id') ? { user_id: alice.id } : {}) }
        : fields.includes('order_updates')
          ? { order_updates: { email: false }, welcome: { email: false } }
          : {};
  const namesVictim =
    path !== endpoint.path ||
    query.length > 0 ||
    (body !== undefined && 'user_id' in body) ||
    (body !== undefined && 'order_id' in body);
  return { target: path + (query.length ? `?${query.join('&')}` : ''), body, namesVictim };
}

const victimSecrets = () => [alice.email, alice.username, SECRET_PRODUCT];

beforeAll(async () => {
  keyed = await startKeyedStack();
  alice = await registerAndLogin(keyed.shop.url('user-service'), 'alice');
  mallory = await registerAndLogin(keyed.shop.url('user-service'), 'mallory');
  passwords.push(alice.password, mallory.password);
  victim.pendingOrder = await createOrder(keyed.shop.url('order-service'), alice, SECRET_PRODUCT);
  victim.paidOrder = await createOrder(keyed.shop.url('order-service'), alice, SECRET_PRODUCT);
  const paid = await call('POST', url('payment-service', '/api/pay-order'), {
    token: alice.token,
    body: { order_id: victim.paidOrder, payment_method: 'pm_card_visa' },
  });
  expect(paid.status).toBe(200);
  victim.payment = paid.body.id;
  victim.notification = await eventually('alice has a notification', async () => {
    const res = await call('GET', url('notification-service', '/api/notifications'), { token: alice.token });
    return res.body.data?.[0]?.id as string | undefined;
  });
});

afterAll(async () => {
  await keyed?.shop.stop();
});

describe('broken object level authorization', () => {
  it("another user's token on every user-reachable endpoint naming the victim's resources is refused (403/404) with none of the victim's data, and nothing of the victim changes", async () => {
    const prefsBefore = await preferencesOf(alice);
    const reachable = endpoints.filter((e) => e.access !== 'public' && e.access.user);
    const results: string[] = [];
    let aimed = 0;
    for (const endpoint of reachable) {
      const { target, body, namesVictim } = aimedAtVictim(endpoint);
      const res = await call(endpoint.method, url(endpoint.service, target), { token: mallory.token, body });
      const text = JSON.stringify(res.body ?? null); // a 204 (logout) has no body
      const leaked = victimSecrets().filter((secret) => text.includes(secret));
      if (namesVictim) aimed += 1;
      if (leaked.length > 0) results.push(`${endpointName(endpoint)} leaked ${leaked.join(', ')}`);
      if (namesVictim && ![403, 404].includes(res.status))
        results.push(`${endpointName(endpoint)} answered ${res.status}`);
      if (res.status >= 400 && !isProblem(res.body, res.status))
        results.push(`${endpointName(endpoint)}: not a problem document`);
    }
    expect(aimed, 'endpoints that name a resource of the victim').toBeGreaterThanOrEqual(12);
    expect(results, `${reachable.length} endpoints tried with mallory's token`).toEqual([]);

    expect(await orderStatus(victim.pendingOrder)).toBe('Pending');
    expect(await orderStatus(victim.paidOrder)).toBe('Paid');
    expect((await paymentOf(victim.payment)).status).toBe('succeeded');
    expect(await preferencesOf(alice)).toEqual(prefsBefore);
    const history = await call('GET', url('order-service', `/api/order/${victim.pendingOrder}/history`), {
      token: alice.token,
    });
    expect(history.body.history, 'the victim order was never moved').toHaveLength(1);
  });

  it("the attacker's own lists show none of the victim's orders, payments or notifications", async () => {
    const lists = [
      url('order-service', '/api/orders?limit=100'),
      url('notification-service', '/api/notifications?limit=100'),
    ];
    for (const list of lists) {
      const res = await call('GET', list, { token: mallory.token });
      expect(res.status, list).toBe(200);
      const text = JSON.stringify(res.body);
      for (const id of [alice.id, victim.pendingOrder, victim.paidOrder, ...victimSecrets()])
        expect(text.includes(id), `${list} shows ${id}`).toBe(false);
    }
  });
});

describe('broken authentication', () => {
  it('expired, wrongly signed, alg none and user-minted service tokens are refused with 401 on every endpoint that needs a token', async () => {
    const tokens = forgedTokens(keyed.keys, mallory.id, mallory.token);
    const guarded = endpoints.filter((e) => e.access !== 'public');
    const accepted: string[] = [];
    for (const [name, token] of Object.entries(tokens)) {
      for (const endpoint of guarded) {
        const { target, body } = aimedAtVictim(endpoint);
        const res = await call(endpoint.method, url(endpoint.service, target), { token, body });
        const ok =
          res.status === 401 &&
          isProblem(res.body, 401) &&
          ['invalid_token', 'token_expired', 'unauthorized'].includes(res.body.code);
        if (!ok) accepted.push(`${name} on ${endpointName(endpoint)} -> ${res.status} ${res.body?.code}`);
      }
    }
    const tried = Object.keys(tokens).length * guarded.length;
    expect(tried).toBeGreaterThanOrEqual(100);
    expect(accepted, `${tried} requests with forged tokens: 0 may pass`).toEqual([]);
    expect(await orderStatus(victim.pendingOrder)).toBe('Pending');
    expect((await paymentOf(victim.payment)).status).toBe('succeeded');
  });
});

describe('broken function level authorization', () => {
  it("a user token (even the owner's) on every service-only endpoint is refused with 403, and nothing changes", async () => {
    const serviceOnly = endpoints.filter((e) => e.access !== 'public' && !e.access.user);
    expect(serviceOnly.map(endpointName)).toEqual(
      expect.arrayContaining(['PATCH /api/order/{id}', 'POST /api/notify']),
    );
    const mailsBefore = (
      await call('GET', url('notification-service', '/api/notifications'), { token: alice.token })
    ).body.data.length;
    for (const endpoint of serviceOnly) {
      const { target } = aimedAtVictim(endpoint);
      const body =
        endpoint.method.toUpperCase() === 'GET'
          ? undefined // a read (the user-service's recipient): nothing to send
          : endpoint.path.includes('notify')
            ? { user_id: alice.id, order_id: victim.paidOrder, type: 'order_paid' }
            : { status: 'Paid' };
      for (const token of [alice.token, mallory.token]) {
        const res = await call(endpoint.method, url(endpoint.service, target), { token, body });
        expect(res.status, `${endpointName(endpoint)} with a user token`).toBe(403);
        expect(isProblem(res.body, 403)).toBe(true);
      }
    }
    expect(await orderStatus(victim.pendingOrder), 'a user token cannot mark an order paid').toBe('Pending');
    const mailsAfter = (
      await call('GET', url('notification-service', '/api/notifications'), { token: alice.token })
    ).body.data.length;
    expect(mailsAfter, 'a user token cannot send mail').toBe(mailsBefore);
  });

  it("refund is refused to another user's token (404) and the payment stays succeeded", async () => {
    for (const body of [undefined, {}]) {
      const res = await call('POST', url('payment-service', `/api/payment/${victim.payment}/refund`), {
        token: mallory.token,
        body,
      });
      expect(res.status).toBe(404);
      expect(isProblem(res.body, 404)).toBe(true);
    }
    expect((await paymentOf(victim.payment)).status).toBe('succeeded');
    expect(await orderStatus(victim.paidOrder)).toBe('Paid');
  });
});

describe('webhook signatures', () => {
  const webhook = () => url('payment-service', '/api/webhooks/stripe');
  const sign = (payload: string, secret: string, at: number) =>
    `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${payload}`).digest('hex')}`;
  let order = '';
  let intent = '';
  let event = '';

  beforeAll(async () => {
    order = await createOrder(keyed.shop.url('order-service'), alice, SECRET_PRODUCT);
    const started = await call('POST', url('payment-service', '/api/pay-order'), {
      token: alice.token,
      body: { order_id: order },
    });
    expect(started.status).toBe(201);
    intent = started.body.payment_intent_id;
    event = JSON.stringify({
      id: `evt_${randomUUID().replaceAll('-', '')}`,
      object: 'event',
      api_version: '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      type: 'payment_intent.succeeded',
      livemode: false,
      data: {
        object: {
          id: intent,
          object: 'payment_intent',
          amount: started.body.amount,
          currency: 'usd',
          status: 'succeeded',
          metadata: { order_id: order, payment_id: started.body.id },
        },
      },
    });
  });

  it('a payment_intent.succeeded event with a missing, wrong, foreign, stale or mismatched signature gets 400 (7 tries) and the order stays Pending, the payment unchanged', async () => {
    const before = await call('GET', url('payment-service', `/api/payments?order_id=${order}`), {
      token: alice.token,
    });
    const now = Math.floor(Date.now() / 1000);
    const tampered = event.replace('"amount":', '"amount":1,"x":');
    const attempts: [string, Record<string, string>][] = [
      ['missing', {}],
      ['empty', { 'stripe-signature': '' }],
      ['wrong', { 'stripe-signature': `t=${now},v1=${'0'.repeat(64)}` }],
      ['another secret', { 'stripe-signature': sign(event, 'whsec_guessed', now) }],
      ['stale (10 minutes old)', { 'stripe-signature': sign(event, keyed.webhookSecret, now - 600) }],
      ['of another body', { 'stripe-signature': sign(tampered, keyed.webhookSecret, now) }],
      [
        'v0 scheme only',
        { 'stripe-signature': `t=${now},v0=${sign(event, keyed.webhookSecret, now).split('v1=')[1]}` },
      ],
    ];
    for (const [what, headers] of attempts) {
      const res = await fetch(webhook(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: event,
      });
      const body = (await res.json()) as { code?: string };
      answers.push(JSON.stringify(body));
      expect(res.status, `${what} signature`).toBe(400);
      expect(['missing_signature', 'invalid_signature'], `${what} signature`).toContain(body.code);
    }
    expect(await orderStatus(order)).toBe('Pending');
    const after = await call('GET', url('payment-service', `/api/payments?order_id=${order}`), {
      token: alice.token,
    });
    expect(after.body).toEqual(before.body);
  });

  it('the same event correctly signed (a leaked or default secret) is refused: Stripe never charged the intent, so the order stays Pending', async () => {
    const res = await fetch(webhook(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': sign(event, keyed.webhookSecret, Math.floor(Date.now() / 1000)),
      },
      body: event,
    });
    const body = (await res.json()) as { outcome?: string };
    answers.push(JSON.stringify(body));
    expect(res.status).toBe(200);
    expect(body.outcome).toBe('refused');
    expect(await orderStatus(order)).toBe('Pending');
  });
});

describe('mass assignment', () => {
  it('status, user_id, amount, role and other server-owned fields in 14 bodies are refused and have no effect', async () => {
    const ordersBefore = (
      await call('GET', url('order-service', '/api/orders?limit=100'), { token: alice.token })
    ).body.data.length;
    const prefsBefore = await preferencesOf(alice);
    const order = { product_name: 'Mass assignment', quantity: 1, price: 19.99 };
    const attempts: [string, string, object, string?][] = [
      ['POST', url('order-service', '/api/order'), { ...order, status: 'Paid' }],
      ['POST', url('order-service', '/api/order'), { ...order, amount: 1 }],
      ['POST', url('order-service', '/api/order'), { ...order, unit_amount: 1 }],
      ['POST', url('order-service', '/api/order'), { ...order, role: 'admin' }],
      ['POST', url('order-service', '/api/order'), { ...order, id: randomUUID() }],
      ['POST', url('order-service', '/api/order'), { ...order, user_id: mallory.id }],
      ['PUT', url('user-service', `/api/user/${alice.id}/preferences`), { user_id: mallory.id }],
      [
        'PUT',
        url('user-service', `/api/user/${alice.id}/preferences`),
        { role: 'admin', welcome: { email: false } },
      ],
      [
        'PUT',
        url('user-service', `/api/user/${alice.id}/preferences`),
        { updated_at: '2000-01-01T00:00:00.000Z' },
      ],
      ['POST', url('payment-service', '/api/pay-order'), { order_id: victim.pendingOrder, amount: 1 }],
      [
        'POST',
        url('payment-service', '/api/pay-order'),
        { order_id: victim.pendingOrder, status: 'succeeded' },
      ],
      ['POST', url('payment-service', `/api/payment/${victim.payment}/refund`), { amount: 1 }],
      [
        'PATCH',
        url('order-service', `/api/order/${victim.pendingOrder}`),
        { status: 'Paid', amount: 1 },
        'service',
      ],
      [
        'POST',
        url('user-service', '/api/login'),
        { email: alice.email, password: alice.password, role: 'admin' },
      ],
    ];
    for (const [method, target, body, as] of attempts) {
      const token = as === 'service' ? keyed.serviceToken('payment-service', 'order-service') : alice.token;
      const res = await call(method, target, { token, body });
      expect([400, 403], `${method} ${target} ${JSON.stringify(body)} -> ${res.status}`).toContain(
        res.status,
      );
      expect(isProblem(res.body, res.status)).toBe(true);
    }
    const ordersAfter = (
      await call('GET', url('order-service', '/api/orders?limit=100'), { token: alice.token })
    ).body.data;
    expect(ordersAfter, 'no order was created').toHaveLength(ordersBefore);
    expect(await orderStatus(victim.pendingOrder)).toBe('Pending');
    expect((await paymentOf(victim.payment)).status).toBe('succeeded');
    expect(await preferencesOf(alice)).toEqual(prefsBefore);
    const intents = await call('GET', url('stripe-sandbox', '/_sandbox/payment_intents'));
    expect(
      intents.body.data.filter(
        (pi: { metadata: Record<string, string> }) => pi.metadata.order_id === victim.pendingOrder,
      ),
      'no PaymentIntent for the order',
    ).toEqual([]);
  });

  it('a registration with role, id or password_hash (4 tries) is refused and creates no account', async () => {
    for (const extra of [
      { role: 'admin' },
      { is_admin: true },
      { id: randomUUID() },
      { password_hash: '$2b$04$x' },
    ]) {
      const email = `mass.${randomUUID().slice(0, 8)}@example.com`;
      const password = `Secret-${randomUUID()}`;
      passwords.push(password);
      const res = await call('POST', url('user-service', '/api/user'), {
        body: { username: `mass-${randomUUID().slice(0, 8)}`, email, password, ...extra },
      });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ in: 'body', field: Object.keys(extra)[0] }),
      ]);
      const login = await call('POST', url('user-service', '/api/login'), { body: { email, password } });
      expect(login.status, 'no account was created').toBe(401);
    }
  });
});

describe("service credentials: one service cannot do another service's job", () => {
  /** A token signed with `signer`'s own key; header `kid` and the claims as given (by default, `signer`'s for the order-service). */
  const signedBy = (signer: ServiceName, claims: object = {}, kid: string = signer) =>
    es256(
      serviceClaims({ iss: signer, sub: signer, ...claims }),
      keyed.keys.services[signer].privateKey,
      kid,
    );
  const markPaid = (token: string) =>
    call('PATCH', url('order-service', `/api/order/${victim.pendingOrder}`), {
      token,
      body: { status: 'Paid' },
    });
  const mailsOfAlice = async () =>
    (await call('GET', url('notification-service', '/api/notifications'), { token: alice.token })).body.data
      .length;

  it("the notification-service's own token on PATCH order status is refused with 403: only the payment-service may move an order", async () => {
    const res = await markPaid(keyed.serviceToken('notification-service', 'order-service'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden' });
    expect(await orderStatus(victim.pendingOrder)).toBe('Pending');
  });

  it("a token claiming to be the payment-service but signed with the notification-service's key is refused with 401 invalid_token, whichever key id it names", async () => {
    const asPayment = { iss: 'payment-service', sub: 'payment-service' };
    const forged = {
      'kid payment-service': signedBy('notification-service', asPayment, 'payment-service'),
      'kid notification-service': signedBy('notification-service', asPayment),
      'kid notification-service, sub payment-service': signedBy('notification-service', {
        sub: 'payment-service',
      }),
    };
    for (const [name, token] of Object.entries(forged)) {
      const res = await markPaid(token);
      expect(res.status, name).toBe(401);
      expect(res.body.code, name).toBe('invalid_token');
    }
    expect(await orderStatus(victim.pendingOrder)).toBe('Pending');
  });

  it("the payment-service's token for the order-service, replayed at the notification-service, is refused with 401 and no mail is queued", async () => {
    const before = await mailsOfAlice();
    const res = await call('POST', url('notification-service', '/api/notify'), {
      token: keyed.serviceToken('payment-service', 'order-service'),
      body: { user_id: alice.id, order_id: victim.pendingOrder, type: 'order_paid' },
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
    expect(await mailsOfAlice()).toBe(before);
  });

  it("a service's own token asking for a kind of mail another service requests (the user- or order-service for a receipt, the order-service for a welcome mail) is refused with 403 and no mail is queued", async () => {
    const before = await mailsOfAlice();
    const asks = [
      ['user-service', { user_id: alice.id, order_id: victim.paidOrder, type: 'order_paid' }],
      ['order-service', { user_id: alice.id, order_id: victim.paidOrder, type: 'order_paid' }],
      ['order-service', { user_id: alice.id, type: 'welcome' }],
    ] as const;
    for (const [caller, body] of asks) {
      const res = await call('POST', url('notification-service', '/api/notify'), {
        token: keyed.serviceToken(caller, 'notification-service'),
        body,
      });
      expect(res.status, `${caller} asking for ${body.type}`).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect(await mailsOfAlice()).toBe(before);
  });

  it('a made-up service (its own key, its own name) is refused with 401 on PATCH order status and on GET order', async () => {
    const stranger = generateKeyPair().privateKey;
    const claims = serviceClaims({ iss: 'admin-service', sub: 'admin-service' });
    const token = es256(claims, stranger, 'admin-service');
    expect((await markPaid(token)).status).toBe(401);
    const read = await call('GET', url('order-service', `/api/order/${victim.pendingOrder}`), { token });
    expect(read.status).toBe(401);
    expect(read.body.code).toBe('invalid_token');
    expect(JSON.stringify(read.body)).not.toContain(SECRET_PRODUCT);
  });

  it("the payment-service's own key with a wrong typ, no sub, a wrong iss, another audience or an expired time is refused with 401 and the matching code; the well-formed token reads the order (200)", async () => {
    const cases: [string, string, string][] = [
      ['typ user', signedBy('payment-service', { typ: 'user' }), 'invalid_token'],
      ['no typ', signedBy('payment-service', { typ: undefined }), 'invalid_token'],
      ['no sub', signedBy('payment-service', { sub: undefined }), 'invalid_token'],
      [
        'iss notification-service',
        signedBy('payment-service', { iss: 'notification-service' }),
        'invalid_token',
      ],
      [
        'aud shop-internal (the old shared audience)',
        signedBy('payment-service', { aud: 'shop-internal' }),
        'invalid_token',
      ],
      ['aud user-service', signedBy('payment-service', { aud: 'user-service' }), 'invalid_token'],
      ['no kid', es256(serviceClaims(), keyed.keys.services['payment-service'].privateKey), 'invalid_token'],
      [
        'expired a minute ago',
        signedBy('payment-service', { exp: Math.floor(Date.now() / 1000) - 60 }),
        'token_expired',
      ],
    ];
    const target = url('order-service', `/api/order/${victim.pendingOrder}`);
    const wrongAnswers: string[] = [];
    for (const [name, token, code] of cases) {
      const res = await call('GET', target, { token });
      if (res.status !== 401 || res.body.code !== code)
        wrongAnswers.push(`${name} -> ${res.status} ${res.body?.code}`);
    }
    expect(wrongAnswers, `${cases.length} malformed tokens of the payment-service`).toEqual([]);
    expect((await call('GET', target, { token: signedBy('payment-service') })).status).toBe(200);
  });

  it('every service token on every endpoint of another service that does not name it is refused: 403 where that service holds its key, 401 where not', async () => {
    const wrong: string[] = [];
    let tried = 0;
    for (const caller of SERVICE_NAMES) {
      for (const endpoint of endpoints.filter((e) => e.access !== 'public' && e.service !== caller)) {
        const api = SHOP_APIS[endpoint.service as ServiceName];
        const expected = { allowed: 0, forbidden: 403, unknown: 401 }[
          serviceAccess(caller, api, endpoint.access)
        ];
        if (!expected) continue; // allowed calls do real work; the other suites make them
        const { target, body } = aimedAtVictim(endpoint);
        const token = keyed.serviceToken(caller, endpoint.service as ServiceName);
        const res = await call(endpoint.method, url(endpoint.service, target), { token, body });
        tried += 1;
        if (res.status !== expected)
          wrong.push(`${caller} on ${endpointName(endpoint)} -> ${res.status}, not ${expected}`);
      }
    }
    expect(tried).toBeGreaterThanOrEqual(40);
    expect(wrong).toEqual([]);
    expect(await orderStatus(victim.pendingOrder)).toBe('Pending');
    expect((await paymentOf(victim.payment)).status).toBe('succeeded');
  });
});

describe('secrets', () => {
  it('no answer and no log line of the whole run contains a password or a bcrypt hash', () => {
    expect(answers.length).toBeGreaterThan(100);
    expect(keyed.shop.logs.length).toBeGreaterThan(100);
    const leaks = leaksOfSecrets([...answers, ...keyed.shop.logs], passwords);
    expect(leaks, `${answers.length} answers and ${keyed.shop.logs.length} log lines checked`).toEqual([]);
  });
});
