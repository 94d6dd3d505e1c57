import { join } from 'node:path';
import {
  mountExt4,
  mountTmpfs,
  scratchMountProblem,
  type ScratchExt4,
  type ScratchFilesystem,
} from '@shop/shared/testing';
import { startTestStack, type TestStack } from '../../e2e/support/testStack.ts';

export interface StorageStack {
  shop: TestStack;
  /** The payment and notification databases each on a tmpfs of their own (to fill to ENOSPC). */
  paymentFs: ScratchFilesystem;
  notificationFs: ScratchFilesystem;
  /** The order database on an ext4 image (to lock, and to have the kernel turn read-only). */
  orderFs: ScratchExt4;
  orderDbPath: string;
  stop(): Promise<void>;
}

/** Why the storage fault suite cannot run here, or undefined when it can. */
export const storageStackProblem = (): string | undefined =>
  scratchMountProblem('tmpfs') ?? scratchMountProblem('ext4');

/**
 * The whole system with three of its databases on small filesystems of their own. The sizes leave
 * room for the tests' few dozen payments (the WAL grows to about 4 MB before a checkpoint).
 * Everything mounted is unmounted by stop(), also when start-up fails half-way.
 */
export async function startStorageStack(): Promise<StorageStack> {
  const mounted: ScratchFilesystem[] = [];
  const unmountAll = () => {
    for (const fs of mounted.reverse()) fs.unmount();
  };
  try {
    const paymentFs = mountTmpfs(24);
    mounted.push(paymentFs);
    const notificationFs = mountTmpfs(24);
    mounted.push(notificationFs);
    const orderFs = mountExt4(64);
    mounted.push(orderFs);
    const orderDbPath = join(orderFs.dir, 'orders.sqlite');
    const shop = await startTestStack({
      PAYMENT_DB_PATH: join(paymentFs.dir, 'payments.sqlite'),
      NOTIFICATION_DB_PATH: join(notificationFs.dir, 'notifications.sqlite'),
      ORDER_DB_PATH: orderDbPath,
    });
    return {
      shop,
      paymentFs,
      notificationFs,
      orderFs,
      orderDbPath,
      async stop() {
        try {
          await shop.stop();
        } finally {
          unmountAll();
        }
      },
    };
  } catch (error) {
    unmountAll();
    throw error;
  }
}
