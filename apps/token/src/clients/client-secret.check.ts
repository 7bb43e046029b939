import { Injectable } from '@nestjs/common';
import { type ClientSecretCheck, DUMMY_SECRET_HASH, secretMatches } from '@tessera/clients';
import { ClientSecretStore } from './client-secret.store';

/** The token service's ClientSecretCheck: its own `token.client_secrets` row, compared in constant time. */
@Injectable()
export class TokenClientSecretCheck implements ClientSecretCheck {
  constructor(private readonly secrets: ClientSecretStore) {}

  async matches(clientId: string, presentedSecret: string): Promise<boolean> {
    const row = await this.secrets.get(clientId);
    // An unknown or public client is compared against a hash no secret matches: the same work (issue 3).
    const matches = secretMatches(presentedSecret, row?.secretHash ?? DUMMY_SECRET_HASH);
    return row?.secretHash != null && matches;
  }
}
