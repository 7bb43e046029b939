import { Injectable } from '@nestjs/common';
import { LineageRevoker } from '../token-exchange/lineage-revoker.service';
import type { CommandMeta } from '../tokens/command-meta';
import { tokenHandle } from '../tokens/opaque-token';
import { RefreshFamilies } from '../tokens/refresh-family.service';

/**
 * RFC 7009 §2.1: revokes an access or refresh token of the requesting client.
 * `token_type_hint` is not trusted: the token is looked up as both kinds.
 * An unknown token or one of another client changes nothing (§2.2: still 200).
 */
@Injectable()
export class RevocationService {
  constructor(
    private readonly families: RefreshFamilies,
    private readonly lineage: LineageRevoker,
  ) {}

  async revoke(token: string, clientId: string, meta: CommandMeta): Promise<void> {
    const familyId = await this.families.familyOfToken(token);
    // A refresh token: the family, every access token it issued and every token exchanged from
    // them (RFC 8693 lineage), in one event (DESIGN §5).
    if (familyId) return this.lineage.revokeFamily(familyId, clientId, meta);
    await this.lineage.revokeAccessToken(tokenHandle(token), clientId, meta);
  }
}
