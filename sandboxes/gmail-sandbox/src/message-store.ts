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

/** Gmail message, thread and draft ids: 16 lower-case hex digits (draft ids get an `r` prefix). */
export function newMessageId(): string {
  return randomBytes(8).toString('hex');
}

/** A draft waiting to be sent: its stable id, and the message it holds (labelled DRAFT). */
export interface StoredDraft {
  id: string;
  message: { id: string; threadId: string; labelIds: string[]; raw: Buffer };
}

/** Every accepted message, in memory, newest first; and the drafts not sent yet. */
export class MessageStore {
  private messages: StoredMessage[] = [];
  private readonly drafts = new Map<string, StoredDraft>();

  addDraft(draft: StoredDraft): void {
    this.drafts.set(draft.id, draft);
  }

  getDraft(id: string): StoredDraft | undefined {
    return this.drafts.get(id);
  }

  /** Removes the draft and answers it, or undefined when there is none (sent or deleted). */
  takeDraft(id: string): StoredDraft | undefined {
    const draft = this.drafts.get(id);
    this.drafts.delete(id);
    return draft;
  }

  draftCount(): number {
    return this.drafts.size;
  }

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
    this.drafts.clear();
  }
}
