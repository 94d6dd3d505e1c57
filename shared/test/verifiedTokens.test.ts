import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyToken } from '../src/index.ts';
import { rememberedCount } from '../src/auth/verifiedTokens.ts';
import { bearer, serviceToken, testAuthKeys, userToken } from '../src/testing/index.ts';
import { demoApp } from './support/demoApi.ts';

const userId = '0b7d3a52-53a5-4b0b-9a64-3f3ab1b4f1de';

const appAs = (service: string) => demoApp(true, 'open', service).app;

afterEach(() => {
  vi.useRealTimers();
});

// Verified tokens are kept until their exp (shared/src/auth/verifiedTokens.ts); these show what the
// cache must never do: answer past exp, trust another string, or carry one service's verdict to another.
describe('verified tokens are remembered only while they are valid', () => {
  it('a token answered 200 (and so cached) is refused with 401 token_expired once its exp has passed', async () => {
    const app = appAs('demo');
    const token = userToken(userId, 60);
    expect((await request(app).get('/whoami').set(bearer(token))).body).toEqual({ kind: 'user', userId });
    expect((await request(app).get('/whoami').set(bearer(token))).status).toBe(200);

    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    const late = await request(app).get('/whoami').set(bearer(token));
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('token_expired');
  });

  it('a cached token with its signature changed is a new string: 401, checked afresh', async () => {
    const app = appAs('demo');
    const token = userToken(userId, 60);
    expect((await request(app).get('/whoami').set(bearer(token))).status).toBe(200);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const forged = await request(app)
      .get('/whoami')
      .set(bearer(`${header}.${payload}.${flipped}`));
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('invalid_token');
  });

  it('a service token cached by the service it is for is still refused by another service (each keeps its own cache)', async () => {
    const token = serviceToken('payment-service', 'demo');
    const meant = await request(appAs('demo')).get('/whoami').set(bearer(token));
    expect(meant.body).toEqual({ kind: 'service', service: 'payment-service' });
    const other = await request(appAs('other-service')).get('/whoami').set(bearer(token));
    expect(other.status).toBe(401);
  });

  it('a refused token is not remembered: the same string is refused every time', async () => {
    const app = appAs('demo');
    const wrongAudience = serviceToken('payment-service', 'order-service');
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push((await request(app).get('/whoami').set(bearer(wrongAudience))).status);
    expect(answers).toEqual([401, 401, 401]);
  });

  it('10,001 users verified twice each: every answer names its own user, and at most 10,000 tokens are kept', () => {
    const keys = testAuthKeys('demo');
    const idOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const tokens = Array.from({ length: 10_001 }, (_, i) => userToken(idOf(i), 60));
    const mixUps = [...tokens, ...tokens].flatMap((token, n) => {
      const principal = verifyToken(keys, token);
      const i = n % tokens.length;
      return principal.kind === 'user' && principal.userId === idOf(i) ? [] : [i];
    });
    expect(mixUps).toEqual([]);
    expect(rememberedCount(keys)).toBe(10_000);
  }, 120_000); // 10,001 ES256 signatures and verifications on a shared 2-core machine
});
