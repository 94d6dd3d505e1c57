import type { gmail_v1 } from '@googleapis/gmail';

// What the sandbox answers, checked at compile time against the discovery-generated types of the
// official client (`satisfies`), so a field Gmail does not have cannot slip in.

export const messageRef = (m: { id: string; threadId: string; labelIds: string[] }) =>
  ({ id: m.id, threadId: m.threadId, labelIds: m.labelIds }) satisfies gmail_v1.Schema$Message;

export const draftRef = (d: { id: string; message: { id: string; threadId: string; labelIds: string[] } }) =>
  ({ id: d.id, message: messageRef(d.message) }) satisfies gmail_v1.Schema$Draft;

export const sendAsEntry = (address: string, primary: boolean) =>
  ({
    sendAsEmail: address,
    displayName: '',
    replyToAddress: '',
    isPrimary: primary,
    isDefault: primary,
    treatAsAlias: !primary,
    // The primary address carries no verification status; an alias usable as From is `accepted`.
    ...(primary ? {} : { verificationStatus: 'accepted' }),
  }) satisfies gmail_v1.Schema$SendAs;

export const sendAsList = (entries: gmail_v1.Schema$SendAs[]) =>
  ({ sendAs: entries }) satisfies gmail_v1.Schema$ListSendAsResponse;

export const messageList = (messages: { id: string; threadId: string }[]) =>
  (messages.length > 0
    ? { messages, resultSizeEstimate: messages.length }
    : { resultSizeEstimate: 0 }) satisfies gmail_v1.Schema$ListMessagesResponse;
