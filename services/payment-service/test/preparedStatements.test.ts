import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openPaymentStore } from '../src/app.ts';

const newPayment = () => ({ order_id: randomUUID(), user_id: randomUUID(), amount: 3998, currency: 'USD' });

afterEach(() => vi.restoreAllMocks());

// Compiling each query on every call was the largest single cost of the payment-service's share
// of a pay-order in the benchmark (bench/README.md).
describe('the payment store compiles each query once', () => {
  it('when 200 payments are created, read and looked up a second time, SQLite compiles 0 statements again', () => {
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    const store = openPaymentStore(':memory:');
    const warm = store.createPayment(newPayment());
    store.getPayment(warm.id);
    store.getPaymentByOrder(warm.order_id);
    store.followUps.forPayment(warm.id);

    const compiledBefore = prepare.mock.calls.length;
    expect(compiledBefore, 'the store compiles statements at all').toBeGreaterThan(0);
    for (let i = 0; i < 200; i++) {
      const payment = store.createPayment(newPayment());
      expect(store.getPayment(payment.id)?.order_id).toBe(payment.order_id);
      expect(store.getPaymentByOrder(payment.order_id)?.id).toBe(payment.id);
      store.followUps.forPayment(payment.id);
    }
    expect(prepare.mock.calls.length - compiledBefore, 'statements compiled during 200 rounds').toBe(0);
    store.close();
  });
});
