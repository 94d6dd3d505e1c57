import { randomUUID } from 'node:crypto';
import { waitUntil } from './waitUntil.ts';

/** A registered, verified and signed-in user, as a client holds it. */
export interface VerifiedAccount {
  id: string;
  username: string;
  email: string;
  password: string;
  /** Access token of the session (`sid` claim), and its refresh token. */
  token: string;
  refreshToken: string;
  created_at: string;
}

async function post(url: string, body: unknown, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * The newest verification code mailed to `address`, read from the Gmail sandbox's own API (as a
 * developer reads it in the sandbox inbox). Waits for the mail to arrive.
 */
export async function verificationCodeFor(
  gmailUrl: string,
  address: string,
  timeoutMs = 10_000,
): Promise<string> {
  return waitUntil(
    async () => {
      const res = await fetch(`${gmailUrl}/api/messages?to=${encodeURIComponent(address)}`);
      const { messages } = (await res.json()) as { messages: { subject: string; text: string }[] };
      const mail = messages.find((m) => m.subject === 'Confirm your email address');
      return mail ? /Code: (\d{6})/.exec(mail.text)?.[1] : undefined;
    },
    { what: `a verification mail to ${address}`, timeoutMs },
  );
}

/**
 * Registers a user through the user-service, logs in and verifies the address with the code the
 * user-service had mailed (through the notification-service, into the Gmail sandbox at `gmailUrl`).
 * Tests whose users must receive receipts or other user-content mail start here: a mail carrying
 * user text is held until its address is verified.
 */
export async function registerVerifiedUser(
  urls: { users: string; gmail: string },
  details: { label?: string; username?: string; email?: string; password?: string } = {},
): Promise<VerifiedAccount> {
  const { label = 'user', password = `Secret-${randomUUID()}` } = details;
  const suffix = randomUUID().slice(0, 8);
  const username = details.username ?? `${label}-${suffix}`;
  const email = (details.email ?? `${label}.${suffix}@example.com`).toLowerCase();
  const registered = await post(`${urls.users}/api/user`, { username, email, password });
  if (registered.status !== 201)
    throw new Error(`register ${label}: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await post(`${urls.users}/api/login`, { email, password });
  if (login.status !== 200) throw new Error(`login ${label}: ${login.status}`);
  const token = String(login.body.token);
  const code = await verificationCodeFor(urls.gmail, email);
  const verified = await post(`${urls.users}/api/user/me/verify-email`, { code }, token);
  if (verified.status !== 200)
    throw new Error(`verify ${label}: ${verified.status} ${JSON.stringify(verified.body)}`);
  return {
    id: String(registered.body.id),
    username,
    email,
    password,
    token,
    refreshToken: String(login.body.refresh_token),
    created_at: String(registered.body.created_at),
  };
}
