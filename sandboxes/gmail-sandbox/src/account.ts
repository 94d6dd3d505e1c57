/**
 * The one mailbox the sandbox stands for: its primary address and the verified send-as aliases.
 * Gmail sends from the account, and replaces a From that is neither with the account's address.
 */
export interface SandboxAccount {
  address: string;
  aliases: readonly string[];
}

/** The notification-service's default sender, so a dev set-up needs no configuration. */
export const DEFAULT_ACCOUNT: SandboxAccount = { address: 'no-reply@shop.local', aliases: [] };

export const mayUseAsFrom = (account: SandboxAccount, address: string): boolean =>
  [account.address, ...account.aliases].some((a) => a.toLowerCase() === address.toLowerCase());
