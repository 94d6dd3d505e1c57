import type { RequestHandler } from 'express';
import { invalidRequest } from './errors.ts';
import { SANDBOX_API_VERSION } from './state.ts';

/** The secret key from `Authorization: Bearer sk_test_...` or curl's `-u sk_test_...:` (Basic). */
function secretKeyOf(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value = ''] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (scheme?.toLowerCase() === 'basic') {
    return Buffer.from(value, 'base64').toString('utf8').split(':')[0] ?? '';
  }
  return null;
}

function redact(key: string): string {
  return key.length > 8
    ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`
    : key;
}

/** Stripe answers 401 with an invalid_request_error when the key is missing or not a test key. */
export const requireTestKey: RequestHandler = (req, res, next) => {
  const key = secretKeyOf(req.get('authorization'));
  let error;
  if (!key) {
    error = invalidRequest(
      'You did not provide an API key. You need to provide your API key in the Authorization header, using ' +
        "Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      undefined,
      undefined,
      401,
    );
  } else if (!/^(sk|rk)_test_\S+$/.test(key)) {
    error = invalidRequest(`Invalid API Key provided: ${redact(key)}`, 'api_key_invalid', undefined, 401);
  }
  if (!error) return next();
  res.status(401).set({ 'www-authenticate': 'Bearer realm="Stripe"', 'stripe-version': SANDBOX_API_VERSION });
  res.json(error.body);
};
