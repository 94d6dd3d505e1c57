import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '@shop/shared';
import { MIGRATIONS } from '../src/data/migrations.ts';
import { openPaymentStore } from '../src/data/sqlitePaymentStore.ts';
import { stepsOwed } from '../src/domain/followUps.ts';
import type { IntentState } from '../src/data/paymentStore.ts';

const newPayment = () => ({ order_id: randomUUID(), user_id: randomUUID(), amount: 3998, currency: 'USD' });
const state = (status: IntentState['status']): IntentState => ({
  payment_intent_id: 'pi_1',
  status,
  client_secret: 'pi_1_secret_x',
  last_error: null,
});

describe('the payment store', () => {
  it('when a payment is created twice for one order, the same row comes back', () => {
    const store = openPaymentStore(':memory:');
    const input = newPayment();
    const first = store.createPayment(input);
    const second = store.createPayment({ ...input, amount: 1 });
    expect(second).toEqual(first);
    expect(second.amount).toBe(3998);
    store.close();
  });

  it('when a payment succeeds, the steps it owes are queued with it; later states never move it back', () => {
    const store = openPaymentStore(':memory:');
    const { id } = store.createPayment(newPayment());
    expect(store.recordIntentState(id, state('succeeded'), stepsOwed('succeeded'))).toMatchObject({
      changed: true,
      payment: { status: 'succeeded', client_secret: null, payment_intent_id: 'pi_1' },
    });
    expect(store.followUps.forPayment(id).map((f) => [f.step, f.state])).toEqual([
      ['mark_paid', 'pending'],
      ['send_receipt', 'pending'],
    ]);
    const late = store.recordIntentState(
      id,
      {
        ...state('requires_payment_method'),
        last_error: { code: 'card_declined', decline_code: 'generic_decline', message: 'declined' },
      },
      stepsOwed('requires_payment_method'),
    );
    expect(late).toMatchObject({ changed: false, payment: { status: 'succeeded', last_error: null } });
    expect(store.followUps.forPayment(id)).toHaveLength(2);
    store.close();
  });

  it('when a step is claimed, a second claim fails until the lease is over', () => {
    const store = openPaymentStore(':memory:');
    const { id } = store.createPayment(newPayment());
    store.recordIntentState(id, state('succeeded'), stepsOwed('succeeded'));
    const [markPaid] = store.followUps.forPayment(id);
    const now = Date.now() + 1;
    expect(store.followUps.claim(markPaid!.id, now, now + 1000)).toBe(true);
    expect(store.followUps.claim(markPaid!.id, now, now + 1000)).toBe(false);
    expect(store.followUps.claim(markPaid!.id, now + 1000, now + 2000)).toBe(true);
    store.close();
  });

  it('when the database file is reopened, the data and the schema version are kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payment-store-'));
    const path = join(dir, 'p.sqlite');
    const first = openPaymentStore(path);
    const { id } = first.createPayment(newPayment());
    expect(first.openAttempt(id, 'pm_card_visa')).toBe(1);
    first.close();
    const reopened = openPaymentStore(path);
    expect(reopened.getPayment(id)).toMatchObject({
      attempt: 1,
      attempt_open: true,
      attempt_payment_method: 'pm_card_visa',
    });
    expect(reopened.paymentsToSync(Date.now(), 10).map((p) => p.id)).toEqual([id]);
    reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the migration that adds send_refund_notice', () => {
  it('when a database of the previous version is opened, its steps are kept and a refund notice can be queued', () => {
    const dir = mkdtempSync(join(tmpdir(), 'payment-migration-'));
    try {
      const path = join(dir, 'payments.sqlite');
      const old = openSqlite(path, MIGRATIONS.slice(0, -1));
      old.exec(`
        INSERT INTO payments (id, order_id, user_id, amount, currency, status, created_at, updated_at)
          VALUES ('p1', 'o1', 'u1', 3998, 'USD', 'succeeded', '2026-01-01', '2026-01-01');
        INSERT INTO follow_ups (payment_id, step, state, next_attempt_at, created_at)
          VALUES ('p1', 'mark_paid', 'done', 0, '2026-01-01');
      `);
      old.close();

      const store = openPaymentStore(path);
      store.recordRefund(
        'p1',
        { id: 're_1', status: 'succeeded', failure_reason: null },
        stepsOwed('refunded'),
      );
      expect(store.followUps.forPayment('p1').map((f) => [f.step, f.state])).toEqual([
        ['mark_paid', 'done'],
        ['mark_refunded', 'pending'],
        ['send_refund_notice', 'pending'],
      ]);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
