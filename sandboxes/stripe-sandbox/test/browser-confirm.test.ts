import { describe, expect, it } from 'vitest';
import { control, withSandbox } from './helpers.ts';

async function postJson(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('browser confirm page', () => {
  it('when the card needs authentication, the intent waits in requires_action until authorized on the page', () =>
    withSandbox(async (sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create({
        amount: 4200,
        currency: 'usd',
        payment_method: 'pm_card_authenticationRequired',
        confirm: true,
        allowed_payment_method_types: ['card'],
        return_url: 'http://127.0.0.1:9/return',
      });
      expect(intent.status).toBe('requires_action');
      expect(intent.next_action).toEqual({
        type: 'redirect_to_url',
        redirect_to_url: {
          url: `${sandbox.url}/confirm/${intent.id}`,
          return_url: 'http://127.0.0.1:9/return',
        },
      });

      const page = await fetch(intent.next_action!.redirect_to_url!.url!);
      const html = await page.text();
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(html).toContain('42.00 USD');
      expect(html).toContain('value="authorize"');

      const authorized = await postJson(`${sandbox.url}/confirm/${intent.id}`, { action: 'authorize' });
      expect(authorized.status).toBe(200);
      expect(authorized.body).toMatchObject({ id: intent.id, status: 'succeeded', next_action: null });
      expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
    }));

  it('when authentication fails on the page, the intent returns to requires_payment_method with the reason', () =>
    withSandbox(async (sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create({
        amount: 500,
        currency: 'usd',
        payment_method: 'pm_card_authenticationRequired',
        confirm: true,
        allowed_payment_method_types: ['card'],
      });
      const failed = await postJson(`${sandbox.url}/confirm/${intent.id}`, { action: 'fail' });
      expect(failed.body).toMatchObject({ status: 'requires_payment_method', payment_method: null });
      expect(failed.body.last_payment_error).toMatchObject({ code: 'payment_intent_authentication_failure' });
    }));

  it('when a form posts a test card, the page redirects back and shows the intent succeeded', () =>
    withSandbox(async (sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'jpy',
        allowed_payment_method_types: ['card'],
      });
      const response = await fetch(`${sandbox.url}/confirm/${intent.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: 'payment_method=pm_card_visa',
        redirect: 'manual',
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/confirm/${intent.id}`);
      const html = await (await fetch(`${sandbox.url}/confirm/${intent.id}`)).text();
      expect(html).toContain('1000 JPY');
      expect(html).toContain('<dd class="status" id="status">succeeded</dd>');
    }));

  it('when a JSON confirm uses a declined card, it answers 402 and the page shows the decline', () =>
    withSandbox(async (sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
      });
      const declined = await postJson(`${sandbox.url}/confirm/${intent.id}`, {
        payment_method: 'pm_card_chargeDeclinedInsufficientFunds',
      });
      expect(declined.status).toBe(402);
      expect(declined.body.error).toMatchObject({ type: 'card_error', decline_code: 'insufficient_funds' });
      const html = await (await fetch(`${sandbox.url}/confirm/${intent.id}`)).text();
      expect(html).toContain('Your card has insufficient funds.');
    }));

  it('when metadata holds markup, the page escapes it', () =>
    withSandbox(async (sandbox, stripe) => {
      const intent = await stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        description: '<script>alert(1)</script>',
        metadata: { note: '"><img src=x onerror=alert(1)>' },
      });
      const html = await (await fetch(`${sandbox.url}/confirm/${intent.id}`)).text();
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }));

  it('when the intent is unknown, the page answers 404 and a JSON confirm answers resource_missing', () =>
    withSandbox(async (sandbox) => {
      expect((await fetch(`${sandbox.url}/confirm/pi_unknown`)).status).toBe(404);
      const json = await postJson(`${sandbox.url}/confirm/pi_unknown`, { action: 'authorize' });
      expect(json.status).toBe(404);
      expect(json.body.error).toMatchObject({ code: 'resource_missing' });
      expect((await control(sandbox, 'GET', '/_sandbox/events')).body.count).toBe(0);
    }));
});
