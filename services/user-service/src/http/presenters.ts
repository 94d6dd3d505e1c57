import type { User } from '@shop/shared/contracts';
import type { UserRecord } from '../data/userStore.ts';

/** The public shape of a user: an explicit allow-list, so the hash cannot slip into a response. */
export const toUserJson = (user: UserRecord): User => ({
  id: user.id,
  username: user.username,
  email: user.email,
  email_verified: user.email_verified_at !== null,
  created_at: user.created_at.toISOString(),
});
