import { Inject, Injectable } from '@nestjs/common';
import { ClientDirectory } from '@tessera/clients';
import { consentStreamOfId, foldConsent } from '@tessera/contracts';
import type { EventStore } from '@tessera/event-store';
import { EVENT_STORE } from '@tessera/platform';
import type { ConsentListItem } from './consents-page';
import { ConsentsReadModel } from './consents.read-model';

/**
 * A user's consents for `/consents`: found by the read model's index on the
 * user, then each checked against its own stream (a handful per user), so a
 * consent revoked a moment ago is never listed (DESIGN §4: the log decides).
 */
@Injectable()
export class UserConsents {
  constructor(
    private readonly readModel: ConsentsReadModel,
    private readonly clients: ClientDirectory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The user's standing consents, newest first, with each client's name. */
  async of(sub: string): Promise<ConsentListItem[]> {
    const rows = await this.readModel.ofUser(sub);
    const items = await Promise.all(
      rows.map(async (row): Promise<ConsentListItem | null> => {
        const stream = consentStreamOfId(row.consentId);
        const now = stream === null ? null : foldConsent(await this.store.readStream(stream));
        if (now === null || now.revoked || now.consentId !== row.consentId || now.sub !== sub) return null;
        const client = await this.clients.get(now.clientId);
        return {
          consentId: now.consentId,
          clientId: now.clientId,
          ...(client?.clientName !== undefined ? { clientName: client.clientName } : {}),
          scopes: now.scopes,
          grantedAt: now.grantedAt,
        };
      }),
    );
    return items.filter((i): i is ConsentListItem => i !== null);
  }
}
