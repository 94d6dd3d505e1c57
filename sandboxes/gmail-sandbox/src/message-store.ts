import { randomBytes } from 'node:crypto';
import type { DecodedMessage } from './decode-message.ts';

export interface StoredMessage extends DecodedMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  /** The userId path parameter the send was made for ('me' in practice). */
  userId: string;
  receivedAt: string;
  raw: Buffer;
}

/** Gmail ids are 16 lower-case hex digits. */
export function newMessageId(): string {
  return randomBytes(8).toString('hex');
}

/** Every accepted message, in memory, newest first. */
export class MessageStore {
  private messages: StoredMessage[] = [];

  add(message: StoredMessage): void {
    this.messages.unshift(message);
  }

  list(filter: { to?: string } = {}): StoredMessage[] {
    const to = filter.to?.trim().toLowerCase();
    if (!to) return [...this.messages];
    return this.messages.filter((m) => m.recipients.includes(to));
  }

  get(id: string): StoredMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  hasThread(threadId: string): boolean {
    return this.messages.some((m) => m.threadId === threadId);
  }

  clear(): void {
    this.messages = [];
  }
}
