import { z } from 'zod';
import { Id, IdParams, Timestamp } from './common.ts';
import { defineApi, endpoint } from './endpoint.ts';

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

/**
 * bcrypt reads at most 72 bytes, so longer passwords would be silently truncated: refuse them. How
 * guessable a password is (zxcvbn, with the username and email as hints) is the user-service's
 * check, as it needs the dictionaries and the rest of the request.
 */
export const Password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .refine((p) => Buffer.byteLength(p, 'utf8') <= 72, 'must be at most 72 bytes')
  .refine((p) => /\p{L}/u.test(p) && /[^\p{L}]/u.test(p), 'must contain a letter and a digit or symbol');

const GivenPassword = z.string().min(1, 'Required').max(1024);

export const RegisterBody = z.strictObject({ username: Username, email: Email, password: Password });
/** `email` (the original shape) or `username`: exactly one of them. */
export const LoginBody = z
  .strictObject({
    email: Email.optional(),
    username: z.string().trim().min(1).max(30).optional(),
    password: GivenPassword,
  })
  .refine((b) => (b.email === undefined) !== (b.username === undefined), {
    message: 'Give either email or username (exactly one)',
    path: ['email'],
  });
export type LoginBody = z.infer<typeof LoginBody>;

export const User = z.object({
  id: Id,
  username: z.string(),
  email: z.string(),
  /** False until the owner proves the address (a code or link from the verification mail). */
  email_verified: z.boolean(),
  created_at: Timestamp,
});
export type User = z.infer<typeof User>;

/** A short access token plus the refresh token that renews it (once: each refresh rotates it). */
export const LoginResponse = z.object({
  token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  refresh_token: z.string(),
  refresh_expires_in: z.number().int(),
  user: User,
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const RefreshBody = z.strictObject({ refresh_token: z.string().min(1, 'Required').max(200) });
export const VerifyEmailBody = z.strictObject({ token: z.string().min(1, 'Required').max(200) });
export const VerifyCodeBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the 6-digit code from the mail'),
});
export const ForgotPasswordBody = z.strictObject({ email: Email });
export const ResetPasswordBody = z.strictObject({
  token: z.string().min(1, 'Required').max(200),
  new_password: Password,
});
export const ChangePasswordBody = z.strictObject({ current_password: GivenPassword, new_password: Password });
export const UpdateProfileBody = z.strictObject({ username: Username });
export const ChangeEmailBody = z.strictObject({ new_email: Email, password: GivenPassword });
export const DeleteAccountBody = z.strictObject({ password: GivenPassword });
export const PendingEmail = z.object({ pending_email: z.string() });

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
/** A mail's recipient: the user and their preferences, read together (one call per mail). */
export const Recipient = z.object({ user: User, preferences: Preferences });

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
  email_verified: false,
  created_at: '2026-11-21T09:13:57.687Z',
};
const notYours = {
  description:
    "Another user's id, whether or not it exists (`not_your_account`), or a caller the endpoint does not admit (`forbidden`).",
  codes: ['not_your_account', 'forbidden'],
};
const userNotFound = { description: 'No user has this id.', codes: ['user_not_found'] };
const sessionEnded = {
  description:
    'No token, a bad or expired one, or (on sensitive endpoints) a token whose session was ended (`session_ended`).',
  codes: ['invalid_token', 'token_expired', 'session_ended'],
};
const wrongPassword = { description: 'The current password is wrong.', codes: ['invalid_credentials'] };
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
      description:
        'A verification mail (link and 6-digit code) is requested afterwards, best effort; the welcome mail follows verification. Rate limited per client address.',
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
      summary: 'Log in (by email or username) and get tokens',
      description:
        'Starts a session: a short access token (ES256 JWT with a `sid` claim) and a refresh token. A wrong password and an unknown email or username get the same 401. Rate limited per client address.',
      access: 'public',
      body: LoginBody,
      responses: {
        200: { description: 'The tokens and the user.', schema: LoginResponse },
        401: { description: 'Wrong email, username or password.', codes: ['invalid_credentials'] },
        429: rateLimited('login attempts'),
      },
    }),
    refreshSession: endpoint({
      operationId: 'refreshSession',
      tag: 'sessions',
      method: 'post',
      path: '/api/session/refresh',
      summary: 'Trade a refresh token for new tokens (rotation)',
      description:
        'The refresh token is spent: the answer carries a new one. Presenting a spent one again ends the whole session (every token of that login), as it means the token was copied.',
      access: 'public',
      body: RefreshBody,
      responses: {
        200: { description: 'New tokens for the same session.', schema: LoginResponse },
        401: {
          description:
            'Unknown or expired refresh token, or an ended session (`invalid_refresh_token`); a spent one, whose session is now ended (`refresh_token_reused`).',
          codes: ['invalid_refresh_token', 'refresh_token_reused'],
        },
      },
    }),
    logout: endpoint({
      operationId: 'logout',
      tag: 'sessions',
      method: 'post',
      path: '/api/logout',
      summary: "End the caller's session",
      description:
        'Its refresh token stops working at once. Its access token is still accepted by the other services until it expires (at most JWT_TTL_SECONDS, 15 minutes by default): they verify tokens locally.',
      access: { user: true },
      responses: { 204: { description: 'The session is ended.' }, 401: sessionEnded },
    }),
    logoutEverywhere: endpoint({
      operationId: 'logoutEverywhere',
      tag: 'sessions',
      method: 'post',
      path: '/api/logout/all',
      summary: "End every session of the caller's account",
      access: { user: true },
      responses: { 204: { description: 'Every session is ended.' }, 401: sessionEnded },
    }),
    verifyEmail: endpoint({
      operationId: 'verifyEmail',
      tag: 'accounts',
      method: 'post',
      path: '/api/user/verify-email',
      summary: "Verify an address with the link's token (no sign-in needed)",
      description: 'Single use and expiring. For a changed address, the account switches to it now.',
      access: 'public',
      body: VerifyEmailBody,
      responses: {
        200: {
          description: 'The user, verified.',
          schema: User,
          example: { ...exampleUser, email_verified: true },
        },
        400: {
          description: 'Unknown, used or expired token.',
          codes: ['verification_invalid', 'validation_error'],
        },
        409: { description: 'The new address was taken meanwhile.', codes: ['email_taken'] },
      },
    }),
    verifyEmailCode: endpoint({
      operationId: 'verifyEmailCode',
      tag: 'accounts',
      method: 'post',
      path: '/api/user/me/verify-email',
      summary: "Verify the caller's pending address with the 6-digit code",
      description:
        'A code takes at most 5 wrong tries; then it is void and a new mail is needed. Rate limited per user.',
      access: { user: true },
      body: VerifyCodeBody,
      responses: {
        200: { description: 'The user, verified.', schema: User },
        400: {
          description:
            'Wrong code (`verification_invalid`), or no pending verification, or too many wrong tries (`verification_expired`).',
          codes: ['verification_invalid', 'verification_expired', 'validation_error'],
        },
        429: rateLimited('verification tries'),
      },
    }),
    resendVerification: endpoint({
      operationId: 'resendVerification',
      tag: 'accounts',
      method: 'post',
      path: '/api/user/me/verify-email/resend',
      summary: 'Send a new verification mail (the previous link and code stop working)',
      access: { user: true },
      responses: {
        202: { description: 'A new mail is on its way.' },
        409: { description: 'The address is verified already.', codes: ['email_already_verified'] },
        429: rateLimited('verification mails'),
      },
    }),
    forgotPassword: endpoint({
      operationId: 'forgotPassword',
      tag: 'passwords',
      method: 'post',
      path: '/api/password/forgot',
      summary: 'Mail a password-reset link',
      description:
        'The answer is the same 202 whether or not an account has this address. Rate limited per client address and per address given.',
      access: 'public',
      body: ForgotPasswordBody,
      responses: {
        202: { description: 'If an account has this address, a reset mail is on its way.' },
        429: rateLimited('reset requests'),
      },
    }),
    resetPassword: endpoint({
      operationId: 'resetPassword',
      tag: 'passwords',
      method: 'post',
      path: '/api/password/reset',
      summary: "Set a new password with the reset mail's token",
      description: 'Single use, expiring; every session of the account ends.',
      access: 'public',
      body: ResetPasswordBody,
      responses: {
        204: { description: 'The password is changed.' },
        400: {
          description: 'Unknown, used or expired token, or a weak new password.',
          codes: ['reset_token_invalid', 'validation_error'],
        },
      },
    }),
    changePassword: endpoint({
      operationId: 'changePassword',
      tag: 'passwords',
      method: 'post',
      path: '/api/user/me/password',
      summary: 'Change the password (current one required)',
      description: "Every other session ends; the caller's stays. A notice goes to the address.",
      access: { user: true },
      body: ChangePasswordBody,
      responses: {
        204: { description: 'The password is changed.' },
        400: { description: 'A weak new password.', codes: ['validation_error'] },
        401: sessionEnded,
        403: wrongPassword,
      },
    }),
    updateProfile: endpoint({
      operationId: 'updateProfile',
      tag: 'accounts',
      method: 'patch',
      path: '/api/user/me',
      summary: 'Change the username',
      access: { user: true },
      body: UpdateProfileBody,
      responses: {
        200: { description: 'The user.', schema: User },
        409: { description: 'The username is taken.', codes: ['username_taken'] },
      },
    }),
    changeEmail: endpoint({
      operationId: 'changeEmail',
      tag: 'accounts',
      method: 'post',
      path: '/api/user/me/email',
      summary: 'Change the address (password required); it switches once the new one is verified',
      description:
        'A verification mail goes to the new address; when it is verified the account switches and a notice goes to the old one.',
      access: { user: true },
      body: ChangeEmailBody,
      responses: {
        202: { description: 'The verification mail is on its way.', schema: PendingEmail },
        401: sessionEnded,
        403: wrongPassword,
        409: { description: 'An account has this address.', codes: ['email_taken'] },
      },
    }),
    deleteAccount: endpoint({
      operationId: 'deleteAccount',
      tag: 'accounts',
      method: 'delete',
      path: '/api/user/me',
      summary: 'Delete the account (password required)',
      description:
        'The username, address and password are erased (the username and address are free again); every session ends. Orders and payments keep only the user id.',
      access: { user: true },
      body: DeleteAccountBody,
      responses: {
        204: { description: 'The account is deleted.' },
        401: sessionEnded,
        403: wrongPassword,
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
    getRecipient: endpoint({
      operationId: 'getRecipient',
      tag: 'preferences',
      method: 'get',
      path: '/api/user/:id/recipient',
      summary: 'A user and their notification preferences in one answer (the notification-service)',
      description:
        "What the notification-service needs for each mail: the same user as `GET /api/user/:id` and the same preferences as `GET /api/user/:id/preferences`, in one call instead of two. Only the notification-service's service token is accepted; users read the two endpoints.",
      access: { services: ['notification-service'] },
      params: IdParams,
      responses: {
        200: { description: 'The user and their preferences.', schema: Recipient },
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
