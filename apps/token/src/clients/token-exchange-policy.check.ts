import type { ClientMetadata } from '@tessera/contracts';
import { InvalidClientMetadataError } from '@tessera/oauth';

/**
 * Who may widen a `token_exchange_policy`, which says what a client may obtain
 * by token exchange (RFC 8693) and for which audiences it gets client
 * credentials tokens: the registration (guarded by the initial access token)
 * sets it; an RFC 7592 update, authorised by the client's own registration
 * access token, may keep or narrow it but never add an audience or a scope,
 * or a client could raise its own privileges.
 */
export function checkTokenExchangePolicy(metadata: ClientMetadata, before?: ClientMetadata): void {
  if (before === undefined) return;
  const previous = before.token_exchange_policy ?? {};
  const widened: string[] = [];
  for (const [audience, scopes] of Object.entries(metadata.token_exchange_policy ?? {})) {
    if (!Object.hasOwn(previous, audience)) {
      widened.push(`audience ${audience}`);
      continue;
    }
    const allowed = new Set(previous[audience].split(' '));
    const added = scopes.split(' ').filter((s) => s !== '' && !allowed.has(s));
    if (added.length > 0) widened.push(`${audience}: ${added.join(' ')}`);
  }
  if (widened.length > 0) {
    throw new InvalidClientMetadataError(
      `token_exchange_policy can only be widened at registration: ${widened.join(', ')}`,
    );
  }
}
