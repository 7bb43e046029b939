import { Injectable } from '@nestjs/common';
import { InvalidScopeError, parseScope } from '@tessera/oauth';
import type { RegisteredClient } from '../clients/registered-client';
import type { CommandMeta } from '../tokens/command-meta';
import type { StreamGuard } from '../tokens/token-ports';
import { RefreshFamilies } from '../tokens/refresh-family.service';
import type { IssuedTokens } from '../tokens/token-issuer.service';
import type { Grant } from './grant';
import { type FormParams, required } from './token-params';

/** RFC 6749 §6 with rotation and reuse detection (RFC 9700 §4.14.2, DESIGN §2). */
@Injectable()
export class RefreshTokenGrant implements Grant {
  readonly grantType = 'refresh_token';

  constructor(private readonly families: RefreshFamilies) {}

  async handle(
    params: FormParams,
    client: RegisteredClient,
    meta: CommandMeta,
    clientGuards: readonly StreamGuard[] = [],
  ): Promise<IssuedTokens> {
    const refreshToken = required(params, 'refresh_token');
    const raw = params.get('scope');
    let scope: string[] | undefined;
    if (raw !== undefined) {
      const parsed = parseScope(raw);
      if (parsed === null) throw new InvalidScopeError('scope is malformed');
      scope = parsed;
    }
    return this.families.rotate(refreshToken, client, scope, meta, clientGuards);
  }
}
