import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateUserError, type UserRecord, type UserStore } from '../src/data/userStore.ts';

let counter = 0;
function record(overrides: Partial<UserRecord> = {}): UserRecord {
  counter += 1;
  return {
    id: randomUUID(),
    username: `Store${counter}x${process.pid}`,
    email: `store${counter}x${process.pid}@example.com`,
    password_hash: '$2b$04$abcdefghijklmnopqrstuuJ1Xn9P4c1n5rSxrTn3sFbQm0m4ixGzW',
    created_at: new Date('2025-01-02T03:04:05.678Z'),
    email_verified_at: null,
    ...overrides,
  };
}

async function duplicateFieldOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof DuplicateUserError) return error.field;
    throw error;
  }
}

/**
 * What every UserStore must do, run against each implementation (test/store.test.ts).
 * `open` gives a fresh, empty store; `cleanup` removes what it left behind.
 */
export function storeContract(name: string, open: () => Promise<UserStore>, cleanup?: () => Promise<void>) {
  describe(name, () => {
    let store: UserStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    it('when a user is inserted, it is found by id and by email with every field intact', async () => {
      const user = record();
      await store.insertUser(user);
      expect(await store.findById(user.id)).toEqual(user);
      expect(await store.findByEmail(user.email)).toEqual(user);
    });

    it('when nothing matches, look-ups find nothing', async () => {
      expect(await store.findById(randomUUID())).toBeUndefined();
      expect(await store.findByEmail('nobody@example.com')).toBeUndefined();
    });

    it('when an email differs only in case, the second insert fails on email and is not stored', async () => {
      const first = record();
      await store.insertUser(first);
      const second = record({ email: first.email.toUpperCase() });
      expect(await duplicateFieldOf(store.insertUser(second))).toBe('email');
      expect(await store.findById(second.id)).toBeUndefined();
    });

    it('when a username differs only in case, the second insert fails on username', async () => {
      const first = record();
      await store.insertUser(first);
      const second = record({ username: first.username.toLowerCase() });
      expect(await duplicateFieldOf(store.insertUser(second))).toBe('username');
    });

    it('when the same email is inserted by many at once, exactly one insert wins', async () => {
      const email = record().email;
      const attempts = Array.from({ length: 5 }, () => store.insertUser(record({ email })));
      const outcomes = await Promise.allSettled(attempts);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes)
        if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(DuplicateUserError);
    });

    it('when a user has chosen nothing, preferences hold no settings and no update time', async () => {
      const user = record();
      await store.insertUser(user);
      expect(await store.getPreferences(user.id)).toEqual({ settings: [], updated_at: null });
    });

    it('when settings are saved twice, each (kind, channel) keeps its latest value and others stay', async () => {
      const user = record();
      await store.insertUser(user);
      const first = new Date('2025-02-01T00:00:00.000Z');
      const second = new Date('2025-02-02T00:00:00.000Z');
      expect(
        await store.setPreferences(
          user.id,
          [{ kind: 'order_updates', channel: 'email', enabled: false }],
          first,
        ),
      ).toBe(true);
      expect(
        await store.setPreferences(user.id, [{ kind: 'welcome', channel: 'email', enabled: false }], second),
      ).toBe(true);
      await store.setPreferences(user.id, [{ kind: 'welcome', channel: 'email', enabled: true }], second);
      const stored = await store.getPreferences(user.id);
      const sorted = [...(stored?.settings ?? [])].sort((a, b) => a.kind.localeCompare(b.kind));
      expect(sorted).toEqual([
        { kind: 'order_updates', channel: 'email', enabled: false },
        { kind: 'welcome', channel: 'email', enabled: true },
      ]);
      expect(stored?.updated_at).toEqual(second);
    });

    it("when one user's settings change, another user's stay untouched", async () => {
      const [a, b] = [record(), record()];
      await store.insertUser(a);
      await store.insertUser(b);
      await store.setPreferences(a.id, [{ kind: 'welcome', channel: 'email', enabled: false }], new Date());
      expect(await store.getPreferences(b.id)).toEqual({ settings: [], updated_at: null });
    });

    it('when the user does not exist, preferences are undefined and saving reports false', async () => {
      const id = randomUUID();
      expect(await store.getPreferences(id)).toBeUndefined();
      expect(
        await store.setPreferences(id, [{ kind: 'welcome', channel: 'email', enabled: false }], new Date()),
      ).toBe(false);
      expect(await store.setPreferences(id, [], new Date())).toBe(false);
      expect(await store.getPreferences(id)).toBeUndefined();
    });

    it('when the store is open, ping answers', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('when a refresh token is spent, it is fresh once and reused after; an ended session refreshes no more', async () => {
      const user = record();
      await store.insertUser(user);
      const session = { id: randomUUID(), user_id: user.id, created_at: new Date() };
      await store.createSession(session);
      const later = new Date(Date.now() + 60_000);
      await store.addRefreshToken({
        hash: 'h1',
        session_id: session.id,
        user_id: user.id,
        expires_at: later,
      });
      await store.addRefreshToken({
        hash: 'h2',
        session_id: session.id,
        user_id: user.id,
        expires_at: later,
      });
      expect(await store.spendRefreshToken('h1', new Date())).toEqual({
        outcome: 'fresh',
        session_id: session.id,
        user_id: user.id,
      });
      expect(await store.spendRefreshToken('h1', new Date())).toEqual({
        outcome: 'reused',
        session_id: session.id,
      });
      expect(await store.spendRefreshToken('nope', new Date())).toEqual({ outcome: 'unknown' });
      expect(await store.isSessionActive(session.id)).toBe(true);
      await store.endSession(session.id, new Date());
      expect(await store.isSessionActive(session.id)).toBe(false);
      expect(await store.spendRefreshToken('h2', new Date())).toEqual({ outcome: 'unknown' });
    });

    it('when every session of a user ends but one, only that one stays active', async () => {
      const user = record();
      await store.insertUser(user);
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of ids) await store.createSession({ id, user_id: user.id, created_at: new Date() });
      await store.endUserSessions(user.id, new Date(), ids[0]);
      expect(await Promise.all(ids.map((id) => store.isSessionActive(id)))).toEqual([true, false, false]);
    });

    it('when an account token is issued, an earlier open one of the same purpose is void; use is single; wrong codes count', async () => {
      const user = record();
      await store.insertUser(user);
      const token = (id: string, hash: string, at: number) => ({
        id,
        user_id: user.id,
        purpose: 'verify_email' as const,
        email: user.email,
        token_hash: hash,
        code_hash: 'c',
        wrong_codes: 0,
        expires_at: new Date(Date.now() + 60_000),
        used_at: null,
        created_at: new Date(at),
      });
      const first = token(randomUUID(), 'th1', 1_000);
      const second = token(randomUUID(), 'th2', 2_000);
      await store.createAccountToken(first);
      await store.createAccountToken(second);
      expect((await store.findAccountTokenByHash('th1'))?.used_at).not.toBeNull();
      expect(await store.findOpenAccountToken(user.id, 'verify_email')).toEqual(second);
      expect(await store.recordWrongCode(second.id)).toBe(1);
      expect(await store.recordWrongCode(second.id)).toBe(2);
      expect(await store.useAccountToken(second.id, new Date())).toBe(true);
      expect(await store.useAccountToken(second.id, new Date())).toBe(false);
      expect(await store.findOpenAccountToken(user.id, 'verify_email')).toBeUndefined();
    });

    it('when a user is updated, found by username in any case, and deleted, the store follows', async () => {
      const user = record();
      const other = record();
      await store.insertUser(user);
      await store.insertUser(other);
      const at = new Date('2025-05-06T07:08:09.000Z');
      expect(await store.updateUser(user.id, { email_verified_at: at, username: `${user.username}x` })).toBe(
        true,
      );
      expect(await store.findByUsername(`${user.username}X`.toUpperCase())).toMatchObject({
        id: user.id,
        email_verified_at: at,
      });
      expect(await duplicateFieldOf(store.updateUser(user.id, { email: other.email }))).toBe('email');
      expect(await store.updateUser(randomUUID(), { username: 'ghost' })).toBe(false);
      await store.createSession({ id: randomUUID(), user_id: user.id, created_at: new Date() });
      await store.deleteUser(user.id);
      expect(await store.findById(user.id)).toBeUndefined();
      expect(await store.getPreferences(user.id)).toBeUndefined();
      await store.insertUser(record({ username: user.username, email: user.email }));
    });
  });
}
