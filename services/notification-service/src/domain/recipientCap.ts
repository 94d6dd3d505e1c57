/**
 * The mailbox an address delivers to: lower-cased, without a `+tag` in its local part
 * (victim+1@example.com and Victim+2@example.com are one mailbox). The migration that added the
 * column computes the same for older rows.
 */
export function mailboxOf(address: string): string {
  const lower = address.toLowerCase();
  const at = lower.indexOf('@');
  if (at < 0) return lower;
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  return (plus < 0 ? local : local.slice(0, plus)) + lower.slice(at);
}

const HOUR_MS = 3_600_000;

/**
 * When a new mail to a mailbox may go out, given the slots (ISO times) of its latest mails, newest
 * first, at most `perHour` of them. Every mail gets a slot no earlier than the one before it, and
 * at most `perHour` slots fall in any hour: the mail `perHour` places back must be an hour old.
 * A cap of 0 is off.
 */
export function nextSlot(latestSlots: string[], perHour: number, now: Date): Date {
  if (perHour === 0 || latestSlots.length < perHour) return now;
  const free = Date.parse(latestSlots[perHour - 1]!) + HOUR_MS;
  return free > now.getTime() ? new Date(free) : now;
}
