import { z } from 'zod';

/**
 * Page cursors are opaque to clients: base64url of a versioned sequence number. Decoding is strict
 * (the cursor must re-encode to itself), so a tampered or truncated cursor is refused, not guessed at.
 */
const PATTERN = /^o1\.([1-9]\d{0,15})$/;

export function encodeCursor(seq: number): string {
  return Buffer.from(`o1.${seq}`, 'utf8').toString('base64url');
}

/** The sequence number in a cursor, or undefined when it is not one this service issued. */
export function decodeCursor(cursor: string): number | undefined {
  if (!/^[\w-]+$/.test(cursor)) return undefined;
  const match = PATTERN.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return undefined;
  const seq = Number(match[1]);
  return Number.isSafeInteger(seq) && encodeCursor(seq) === cursor ? seq : undefined;
}

/** A `cursor` query parameter: the opaque text a client sends, the sequence number it stands for. */
export const PageCursor = z
  .string()
  .max(200)
  .transform((cursor, ctx) => {
    const seq = decodeCursor(cursor);
    if (seq !== undefined) return seq;
    ctx.addIssue({ code: 'custom', message: 'is not a valid cursor: pass next_cursor back unchanged' });
    return z.NEVER;
  });
