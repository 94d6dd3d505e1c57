/**
 * `pnpm bench:mime`: CPU per receipt of the notification-service's MIME build, beside nodemailer's
 * MailComposer (what the service used before) in the same process, rounds alternated so both see
 * the same machine. Prints µs of CPU (user + system) per mail for each round and the median.
 */
import { composeMime, type Envelope, type MailContent } from '@shop/notification-service';
// The reference composer lives with the test that compares both messages.
import { nodemailerMime } from '../../../services/notification-service/test/support/nodemailerMime.ts';

const MAILS_PER_ROUND = 2_000;
const ROUNDS = 5;

const envelope: Envelope = {
  notificationId: '0190f3a2-7c1e-7b2a-9f00-1234567890ab',
  from: 'Shop <no-reply@shop.local>',
  to: { name: 'ana_1', address: 'ana@example.com' },
  date: new Date('2026-11-26T19:20:07.000Z'),
};
// The size and shape of a receipt (text and HTML with a table of one line).
const content: MailContent = {
  subject: 'Your receipt for order 0190f3a2',
  text: `Hi ana_1,\n\nThank you for your order.\n\nOrder 0190f3a2-7c1e-7b2a-9f00-1234567890ab\nWidget x 2: $39.98\nTotal: $39.98\n\nPaid on 26 November 2026.\n`,
  html: `<!doctype html><html><body><p>Hi ana_1,</p><p>Thank you for your order.</p><table><tr><td>Widget</td><td>2</td><td>$39.98</td></tr></table><p>Total: <strong>$39.98</strong></p><p>Paid on 26 November 2026.</p></body></html>`,
};

const nodemailer = (): Promise<Buffer> => nodemailerMime(envelope, content);
const handBuilt = (): Promise<Buffer> => composeMime(envelope, content);

async function cpuMicrosPerMail(build: () => Promise<Buffer>): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < MAILS_PER_ROUND; i++) await build();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / MAILS_PER_ROUND;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const builders = { 'nodemailer MailComposer (before)': nodemailer, 'composeMime (hand-built)': handBuilt };
const rounds = new Map<string, number[]>(Object.keys(builders).map((name) => [name, []]));
for (const [, build] of Object.entries(builders)) await cpuMicrosPerMail(build); // warm-up round
for (let round = 1; round <= ROUNDS; round++) {
  for (const [name, build] of Object.entries(builders)) rounds.get(name)!.push(await cpuMicrosPerMail(build));
  console.error(`round ${round} of ${ROUNDS} done`);
}
console.log(
  `CPU µs per receipt, ${MAILS_PER_ROUND} mails a round, ${ROUNDS} rounds alternated (Node ${process.version})`,
);
for (const [name, values] of rounds) {
  console.log(
    `${name.padEnd(34)} median ${median(values).toFixed(1).padStart(7)}   rounds ${values.map((v) => v.toFixed(1)).join(' ')}`,
  );
}
