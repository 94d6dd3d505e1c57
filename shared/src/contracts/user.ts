import { z } from 'zod';
import { Id, Timestamp } from './common.ts';

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
