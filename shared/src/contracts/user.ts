import { z } from 'zod';
import { Id, IdParams, Timestamp } from './common.ts';
import { defineApi, endpoint } from './endpoint.ts';

const COMMON_PASSWORDS = new Set([
  'password123',
  'password1234',
  '1234567890',
  'qwertyuiop',
  'letmein123',
  'iloveyou123',
  'administrator',
  'passw0rd123',
]);

export const Username = z
  .string()
  .trim()
  .min(3, 'must be at least 3 characters')
  .max(30, 'must be at most 30 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
    'may use letters, digits, ".", "_" and "-", starting with a letter or digit',
  );

export const Email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ message: 'must be a valid email address' }))
  .transform((email) => email.toLowerCase());

/** bcrypt reads at most 72 bytes, so longer passwords would be silently truncated: refuse them. */
export const Password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .refine((p) => Buffer.byteLength(p, 'utf8') <= 72, 'must be at most 72 bytes')
  .refine((p) => /\p{L}/u.test(p) && /[^\p{L}]/u.test(p), 'must contain a letter and a digit or symbol')
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), 'is too common');

export const RegisterBody = z.strictObject({ username: Username, email: Email, password: Password });
export const LoginBody = z.strictObject({ email: Email, password: z.string().min(1, 'Required').max(1024) });

export const User = z.object({ id: Id, username: z.string(), email: z.string(), created_at: Timestamp });
export type User = z.infer<typeof User>;

export const LoginResponse = z.object({
  token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  user: User,
});

/** Kinds of notification a user can mute, each per channel; `sms` is reserved for a later channel. */
export const NOTIFICATION_KINDS = ['order_updates', 'welcome'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const ChannelSettings = z.object({ email: z.boolean() });
export const Preferences = z.object({
  user_id: Id,
  order_updates: ChannelSettings,
  welcome: ChannelSettings,
  updated_at: Timestamp.nullable(),
});
export type Preferences = z.infer<typeof Preferences>;

/** PUT merges what is given onto the current settings; kinds and channels left out stay as they are. */
export const UpdatePreferencesBody = z.strictObject({
  order_updates: z.strictObject({ email: z.boolean() }).partial().optional(),
  welcome: z.strictObject({ email: z.boolean() }).partial().optional(),
});
export type UpdatePreferencesBody = z.infer<typeof UpdatePreferencesBody>;

const exampleUser = {
  id: '9b2d4c1e-6a7f-4e3b-8c2d-1f0e9a8b7c6d',
  username: 'ann',
  email: 'ann@example.com',
  created_at: '2026-11-21T09:13:57.687Z',
};
const notYours = {
  description:
    "Another user's id, whether or not it exists (`not_your_account`), or a caller the endpoint does not admit (`forbidden`).",
  codes: ['not_your_account', 'forbidden'],
};
const userNotFound = { description: 'No user has this id.', codes: ['user_not_found'] };
const rateLimited = (what: string) => ({
  description: `Too many ${what}; see Retry-After.`,
  codes: ['rate_limited'],
});

/** The user-service's endpoints. */
export const userApi = defineApi({
  service: 'user-service',
  description: 'Users, credentials and notification preferences; issues the user tokens.',
  endpoints: {
    register: endpoint({
      operationId: 'register',
      tag: 'accounts',
      method: 'post',
      path: '/api/user',
      idempotencyKey: true,
      summary: 'Register a user',
      description: 'A welcome mail is requested afterwards, best effort. Rate limited per client address.',
      access: 'public',
      body: RegisterBody,
      responses: {
        201: {
          description: 'The new user (never the password or its hash).',
          schema: User,
          example: exampleUser,
        },
        409: { description: 'The email or username is taken.', codes: ['email_taken', 'username_taken'] },
        429: rateLimited('registrations'),
      },
    }),
    login: endpoint({
      operationId: 'login',
      tag: 'accounts',
      method: 'post',
      path: '/api/login',
      summary: 'Log in and get a bearer token',
      description: 'A wrong password and an unknown email get the same 401. Rate limited per client address.',
      access: 'public',
      body: LoginBody,
      responses: {
        200: { description: 'A user token (ES256 JWT) and the user.', schema: LoginResponse },
        401: { description: 'Wrong email or password.', codes: ['invalid_credentials'] },
        429: rateLimited('login attempts'),
      },
    }),
    me: endpoint({
      operationId: 'getMe',
      tag: 'accounts',
      method: 'get',
      path: '/api/user/me',
      summary: 'The calling user',
      access: { user: true },
      responses: { 200: { description: 'The user.', schema: User, example: exampleUser } },
    }),
    getUser: endpoint({
      operationId: 'getUser',
      tag: 'accounts',
      method: 'get',
      path: '/api/user/:id',
      summary: 'A user by id (themselves, or the notification-service)',
      access: { user: true, services: ['notification-service'] },
      params: IdParams,
      responses: {
        200: { description: 'The user.', schema: User, example: exampleUser },
        403: notYours,
        404: userNotFound,
      },
    }),
    getPreferences: endpoint({
      operationId: 'getPreferences',
      tag: 'preferences',
      method: 'get',
      path: '/api/user/:id/preferences',
      summary: "A user's notification preferences (themselves, or the notification-service)",
      access: { user: true, services: ['notification-service'] },
      params: IdParams,
      responses: {
        200: { description: 'Per kind, per channel; all on by default.', schema: Preferences },
        403: notYours,
        404: userNotFound,
      },
    }),
    updatePreferences: endpoint({
      operationId: 'updatePreferences',
      tag: 'preferences',
      method: 'put',
      path: '/api/user/:id/preferences',
      idempotencyKey: true,
      summary: 'Change notification preferences (the user themselves)',
      description: 'Merges the given kinds and channels onto the current settings.',
      access: { user: true },
      params: IdParams,
      body: UpdatePreferencesBody,
      responses: {
        200: { description: 'The full preferences after the change.', schema: Preferences },
        403: notYours,
        404: userNotFound,
      },
    }),
  },
});
