import { Inject, Injectable } from '@nestjs/common';
import { SigningKeys } from '@tessera/keys';
import { CONFIG } from '@tessera/platform';
import { SignJWT } from 'jose';
import { type IdTokenInput, idTokenClaims } from './id-token.claims';

/**
 * Signs ID tokens (OIDC Core §2, §3.1.3.7) with the token service's active
 * key, the one TokenSigner signs access tokens with (DESIGN §5). It reads the
 * key itself because `at_hash` depends on the key's `alg`: computing the hash
 * and signing with the same key leaves no room for a rotation in between.
 */
@Injectable()
export class IdTokenSigner {
  constructor(
    private readonly keys: SigningKeys,
    @Inject(CONFIG) private readonly config: { issuer: string },
  ) {}

  /** A compact JWS (`typ: JWT`) of the ID token for this authentication. */
  async sign(input: Omit<IdTokenInput, 'issuer'>): Promise<string> {
    const { kid, alg, key } = await this.keys.current();
    const claims = idTokenClaims({ ...input, issuer: this.config.issuer }, alg);
    return new SignJWT(claims).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(key);
  }
}
