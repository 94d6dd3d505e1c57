import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { simpleParser, type ParsedMail } from 'mailparser';
import {
  startGmailSandbox,
  type FaultRequest,
  type MessageView,
  type RunningGmailSandbox,
} from '@shop/gmail-sandbox';
import {
  buildDependencies as buildOrderDependencies,
  createApp as createOrderApp,
  readConfig as readOrderConfig,
} from '@shop/order-service';
import {
  buildDependencies as buildUserDependencies,
  createApp as createUserApp,
  readConfig as readUserConfig,
} from '@shop/user-service';
import { createLogger, type Logger, type RunningServer } from '@shop/shared';
import type { Order, User } from '@shop/shared/contracts';
import {
  bearer,
  forwardingApp,
  listen,
  registerVerifiedUser,
  serviceToken,
  testEnv,
  userToken,
  verificationCodeFor,
  waitUntil,
} from '@shop/shared/testing';
import { createApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { buildDependencies } from '../../src/dependencies.ts';

/** The real user-service, order-service and Gmail sandbox, each on 127.0.0.1 and a free port. */
export interface Neighbours {
  users: RunningServer;
  orders: RunningServer;
  gmail: RunningGmailSandbox;
  /**
   * The user-service's own notification-service (with its own Gmail sandbox): it mails the
   * verification codes registerUser reads, so the instance a test builds sees only its own mails.
   */
  accountMail: { server: RunningServer; gmail: RunningGmailSandbox };
  close(): Promise<void>;
}

/** The password every test user registers with. */
export const PASSWORD = 'correct horse 42';

const sandboxAccount = { address: 'shop@example.com', aliases: [] };

export async function startNeighbours(): Promise<Neighbours> {
  const logger = createLogger('neighbour', 'silent');
  // The account-mail service needs the user-service's URL and the other way round: it listens
  // first, handing requests to its app once that is built.
  const front = forwardingApp();
  const accountMailServer = await listen(front.app, logger);
  const users = await startUserService(logger, accountMailServer.url);
  const orders = await startOrderService(logger);
  // The sandbox mailbox is the tests' sender (SENDER), as a real account would be.
  const gmail = await startGmailSandbox({ port: 0, account: sandboxAccount });
  const accountGmail = await startGmailSandbox({ port: 0, account: sandboxAccount });
  const accountMailDeps = buildDependencies(
    readConfig(
      testEnv('notification-service', {
        LOG_LEVEL: 'silent',
        NOTIFICATION_DB_PATH: ':memory:',
        USER_SERVICE_URL: users.url,
        ORDER_SERVICE_URL: orders.url,
        GMAIL_API_URL: accountGmail.url,
        GMAIL_SENDER: 'Shop <shop@example.com>',
      }),
    ),
    { logger },
  );
  front.forwardTo(createApp(accountMailDeps));
  return {
    users,
    orders,
    gmail,
    accountMail: { server: accountMailServer, gmail: accountGmail },
    close: async () => {
      await Promise.all([users.close(), orders.close(), gmail.close(), accountGmail.close()]);
      await accountMailServer.close();
      await accountMailDeps.close();
    },
  };
}

/** The real order-service, built the way its main.ts builds it, over a throw-away database. */
async function startOrderService(logger: Logger): Promise<RunningServer> {
  const deps = buildOrderDependencies(
    // Its order_created mail requests go nowhere (port 9 refuses): these tests call notify themselves.
    readOrderConfig(
      testEnv('order-service', { ORDER_DB_PATH: ':memory:', NOTIFICATION_SERVICE_URL: 'http://127.0.0.1:9' }),
    ),
    { logger },
  );
  return listen(createOrderApp(deps), logger, deps.close);
}

/**
 * The real user-service, built the way its main.ts builds it, over a throw-away database: cheap
 * bcrypt, no registration limit, its account mails going to the neighbours' own notification-service.
 */
async function startUserService(logger: Logger, notificationUrl: string): Promise<RunningServer> {
  const config = readUserConfig(
    testEnv('user-service', {
      USER_DB_PATH: ':memory:',
      BCRYPT_COST: 4,
      USER_REGISTER_RATE_LIMIT: 0,
      NOTIFICATION_SERVICE_URL: notificationUrl,
    }),
  );
  const deps = await buildUserDependencies(config, { logger });
  return listen(createUserApp(deps), logger, deps.close);
}

/**
 * Registers a user through the user-service, with a fresh name and address, and verifies the
 * address (mail carrying user text is held until then) unless `verified` is false.
 */
export async function registerUser(
  n: Neighbours,
  username = `u${randomUUID().slice(0, 8)}`,
  { verified = true } = {},
): Promise<User> {
  const details = { username, email: `${username}@example.com`, password: PASSWORD };
  if (!verified) {
    const res = await request(n.users.url).post('/api/user').send(details);
    if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${res.text}`);
    return res.body as User;
  }
  const account = await registerVerifiedUser({ users: n.users.url, gmail: n.accountMail.gmail.url }, details);
  return {
    id: account.id,
    username,
    email: account.email,
    email_verified: true,
    created_at: account.created_at,
  };
}

/** The user proves the address with the code the user-service mailed (through its own notification-service). */
export async function verifyAddress(n: Neighbours, user: Pick<User, 'email'>) {
  const login = await request(n.users.url).post('/api/login').send({ email: user.email, password: PASSWORD });
  const code = await verificationCodeFor(n.accountMail.gmail.url, user.email);
  const res = await request(n.users.url)
    .post('/api/user/me/verify-email')
    .set(bearer(login.body.token))
    .send({ code });
  if (res.status !== 200 || res.body.email_verified !== true) {
    throw new Error(`verify-email answered ${res.status}: ${res.text}`);
  }
}

export async function muteEmails(n: Neighbours, userId: string, kind: 'order_updates' | 'welcome') {
  const res = await request(n.users.url)
    .put(`/api/user/${userId}/preferences`)
    .set(bearer(userToken(userId)))
    .send({ [kind]: { email: false } });
  if (res.status !== 200) throw new Error(`preferences answered ${res.status}: ${res.text}`);
}

/** Creates an order as its user and, unless told otherwise, marks it Paid as the payment-service would. */
export async function createOrder(
  n: Neighbours,
  userId: string,
  options: {
    product_name?: string;
    quantity?: number;
    price?: string;
    currency?: string;
    paid?: boolean;
  } = {},
): Promise<Order> {
  const { paid = true, ...fields } = options;
  const created = await request(n.orders.url)
    .post('/api/order')
    .set(bearer(userToken(userId)))
    .send({ product_name: 'Notebook', quantity: 1, price: '9.99', currency: 'USD', ...fields });
  if (created.status !== 201) throw new Error(`order answered ${created.status}: ${created.text}`);
  if (!paid) return created.body as Order;
  return setOrderStatus(n, created.body.id, 'Paid');
}

/** Moves an order on as the payment-service does (Paid, then Refunded). */
export async function setOrderStatus(
  n: Neighbours,
  orderId: string,
  status: 'Paid' | 'Refunded',
): Promise<Order> {
  const patched = await request(n.orders.url)
    .patch(`/api/order/${orderId}`)
    .set(bearer(serviceToken('payment-service', 'order-service')))
    .send({ status });
  if (patched.status !== 200) throw new Error(`mark ${status} answered ${patched.status}: ${patched.text}`);
  return patched.body as Order;
}

/** Messages the sandbox accepted for an address, newest first. */
export async function mailsTo(gmail: RunningGmailSandbox, address: string): Promise<MessageView[]> {
  const res = await request(gmail.url).get('/api/messages').query({ to: address });
  return (res.body as { messages: MessageView[] }).messages;
}

/** The exact bytes Gmail received, parsed by mailparser as a mail client would. */
export async function rawMail(
  gmail: RunningGmailSandbox,
  id: string,
): Promise<{ raw: string; mail: ParsedMail }> {
  const res = await request(gmail.url)
    .get(`/api/messages/${id}`)
    .query({ format: 'raw' })
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
  const raw = res.body as Buffer;
  return { raw: raw.toString('latin1'), mail: await simpleParser(raw) };
}

export async function armGmailFault(gmail: RunningGmailSandbox, fault: FaultRequest) {
  const res = await request(gmail.url).post('/api/faults').send(fault);
  if (res.status !== 201) throw new Error(`arming a fault answered ${res.status}: ${res.text}`);
}

export async function clearGmailFaults(gmail: RunningGmailSandbox) {
  const res = await request(gmail.url).delete('/api/faults');
  if (res.status !== 204) throw new Error(`clearing faults answered ${res.status}`);
}

export async function resetGmail(gmail: RunningGmailSandbox) {
  await request(gmail.url).delete('/api/faults');
  await request(gmail.url).delete('/api/messages');
}

/** Polls `probe` until it returns something truthy; gives up (throws) after `timeoutMs`. */
export const waitFor = <T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 5_000,
) => waitUntil(probe, { what, timeoutMs });
