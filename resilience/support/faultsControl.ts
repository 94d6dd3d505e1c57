import { call } from '../../e2e/support/api.ts';
import type { TestStack } from '../../e2e/support/testStack.ts';

export interface StripeFault {
  mode: 'error' | 'timeout' | 'slow';
  count?: number;
  delay_ms?: number;
  match?: string;
  when?: 'before' | 'after';
}

export interface GmailFault {
  mode: 'error' | 'invalid_grant' | 'slow';
  count?: number;
  delay_ms?: number;
  status?: number;
  /** errors[0].reason, e.g. userRateLimitExceeded (quota) or insufficientPermissions. */
  reason?: string;
  retry_after_s?: number;
  /** Only this Gmail method, e.g. 'drafts.send' or 'drafts.get'. */
  operation?: string;
}

async function expectOk(what: string, res: Promise<{ status: number; body: unknown }>): Promise<void> {
  const answered = await res;
  if (answered.status >= 300)
    throw new Error(`${what} answered ${answered.status}: ${JSON.stringify(answered.body)}`);
}

/** The sandboxes' fault controls (see their READMEs). */
export function faultControls(shop: TestStack) {
  const stripe = (path: string) => `${shop.url('stripe-sandbox')}${path}`;
  const gmail = (path: string) => `${shop.url('gmail-sandbox')}${path}`;
  return {
    stripe: (fault: StripeFault) =>
      expectOk('arming a Stripe fault', call('POST', stripe('/_sandbox/faults'), { body: fault })),
    /** Stripe faults still armed (a fault disappears once its count is used up). */
    stripeArmed: async () =>
      (await call<{ data: { count: number; remaining: number }[] }>('GET', stripe('/_sandbox/faults'))).body
        .data,
    clearStripe: () => expectOk('clearing Stripe faults', call('DELETE', stripe('/_sandbox/faults'))),
    gmail: (fault: GmailFault) =>
      expectOk('arming a Gmail fault', call('POST', gmail('/api/faults'), { body: fault })),
    /** Gmail faults still armed (one disappears once its count is used up). */
    gmailArmed: async () =>
      (await call<{ faults: { mode: string; remaining: number | null }[] }>('GET', gmail('/api/faults'))).body
        .faults,
    clearGmail: () => expectOk('clearing Gmail faults', call('DELETE', gmail('/api/faults'))),
    async clearAll() {
      await Promise.all([this.clearStripe(), this.clearGmail()]);
    },
  };
}

export type FaultControls = ReturnType<typeof faultControls>;
