import { Inject, Injectable } from '@nestjs/common';
import { type ClientSecretCheck, hashSecret } from '@tessera/clients';
import type { Database } from '@tessera/event-store';
import { DATABASE } from '@tessera/platform';

/**
 * The introspection service's ClientSecretCheck: asks the token service's
 * `token.client_secret_matches` (migration token/0003_client_secret_check), which answers only
 * true or false. The introspection role never reads `token.client_secrets`,
 * and no secret or hash enters the log (DESIGN §2). One query whether the
 * client exists or not (issue 3: same work).
 */
@Injectable()
export class SqlClientSecretCheck implements ClientSecretCheck {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async matches(clientId: string, presentedSecret: string): Promise<boolean> {
    const rows = await this.db.query<{ ok: boolean }>('SELECT token.client_secret_matches($1, $2) AS ok', [
      clientId,
      hashSecret(presentedSecret),
    ]);
    return rows[0]?.ok === true;
  }
}
