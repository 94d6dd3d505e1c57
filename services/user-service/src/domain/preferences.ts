import { notFound } from '@shop/shared';
import { NOTIFICATION_KINDS, type Preferences, type UpdatePreferencesBody } from '@shop/shared/contracts';
import {
  CHANNELS,
  type PreferenceSetting,
  type StoredPreferences,
  type UserStore,
} from '../data/userStore.ts';

/** Every kind on every channel, with the stored choices laid over the default (on). */
export function toPreferences(userId: string, stored: StoredPreferences): Preferences {
  const enabled = (kind: string, channel: string) =>
    stored.settings.find((s) => s.kind === kind && s.channel === channel)?.enabled ?? true;
  const channelsOf = (kind: string) => ({ email: enabled(kind, 'email') });
  return {
    user_id: userId,
    order_updates: channelsOf('order_updates'),
    welcome: channelsOf('welcome'),
    updated_at: stored.updated_at?.toISOString() ?? null,
  };
}

/** The (kind, channel) pairs a PUT body names; the ones it leaves out are not touched. */
export function settingsFrom(body: UpdatePreferencesBody): PreferenceSetting[] {
  const settings: PreferenceSetting[] = [];
  for (const kind of NOTIFICATION_KINDS) {
    for (const channel of CHANNELS) {
      const value = body[kind]?.[channel];
      if (value !== undefined) settings.push({ kind, channel, enabled: value });
    }
  }
  return settings;
}

export function createPreferences(store: UserStore) {
  const missing = () => notFound('No user has this id.', 'user_not_found');
  return {
    async get(userId: string): Promise<Preferences> {
      const stored = await store.getPreferences(userId);
      if (!stored) throw missing();
      return toPreferences(userId, stored);
    },
    /** Merges the given settings onto the current ones and returns the full result. */
    async update(userId: string, body: UpdatePreferencesBody): Promise<Preferences> {
      if (!(await store.setPreferences(userId, settingsFrom(body), new Date()))) throw missing();
      return this.get(userId);
    },
  };
}

export type PreferencesService = ReturnType<typeof createPreferences>;
