import { Preferences, User } from '../contracts/user.ts';
import { createHttpClient, type HttpClientOptions } from '../client/createHttpClient.ts';

/** What other services may ask the user-service, with a service token. */
export function createUserClient(options: Omit<HttpClientOptions, 'target'>) {
  const http = createHttpClient({ ...options, target: 'user-service' });
  return {
    async getUser(userId: string) {
      const { data } = await http.get(`/api/user/${encodeURIComponent(userId)}`);
      return User.parse(data);
    },
    async getPreferences(userId: string) {
      const { data } = await http.get(`/api/user/${encodeURIComponent(userId)}/preferences`);
      return Preferences.parse(data);
    },
  };
}
export type UserClient = ReturnType<typeof createUserClient>;
