/** The one error shape of every service (RFC 9457 problem details with a `code`). */
export function isProblem(body: unknown, status: number): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const p = body as Record<string, unknown>;
  return (
    typeof p.type === 'string' &&
    p.type.startsWith('urn:shop:problem:') &&
    typeof p.title === 'string' &&
    p.status === status &&
    typeof p.code === 'string' &&
    typeof p.detail === 'string'
  );
}

const BCRYPT_HASH = /\$2[aby]\$\d\d\$/;

/** The texts (log lines, response bodies) that contain a password or a bcrypt hash. */
export function leaksOfSecrets(texts: Iterable<string>, passwords: string[]): string[] {
  const leaks: string[] = [];
  for (const text of texts) {
    if (BCRYPT_HASH.test(text) || passwords.some((p) => text.includes(p))) leaks.push(text.slice(0, 300));
  }
  return leaks;
}
