import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type TesseraConfig } from '@tessera/platform';
import { JWT_SIGNER, type JwtSigner } from '../keys/jwt-signer';
import { TOKEN_INTROSPECTOR, type TokenIntrospector } from './active-token';
import { CLOCK, type Clock } from './clock';
import { type IntrospectionCaller, introspectionResponse, type IntrospectionResponse } from './introspection-response';

/** RFC 9701 §4: the media type of a JWT introspection response, also its `typ` (§5). */
export const INTROSPECTION_JWT_TYPE = 'token-introspection+jwt';

/** Answers introspection requests (RFC 7662) as JSON or as a signed JWT (RFC 9701). */
@Injectable()
export class IntrospectionService {
  private readonly issuer: string;

  constructor(
    @Inject(TOKEN_INTROSPECTOR) private readonly introspector: TokenIntrospector,
    @Inject(JWT_SIGNER) private readonly signer: JwtSigner,
    @Inject(CONFIG) config: TesseraConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    if (config.mode === 'cli') throw new Error('IntrospectionService needs a serving config');
    this.issuer = config.issuer;
  }

  /** RFC 7662 §2.2: the answer about `token` to the authenticated caller. */
  async answer(token: string, caller: IntrospectionCaller): Promise<IntrospectionResponse> {
    return introspectionResponse(await this.introspector.introspect(token), caller, this.issuer);
  }

  /** RFC 9701 §5: the answer as a JWT for the caller, signed with the introspection service's own key. */
  async signed(answer: IntrospectionResponse, callerClientId: string): Promise<string> {
    return this.signer.sign(
      {
        iss: this.issuer,
        aud: callerClientId,
        iat: Math.floor(this.clock() / 1000),
        token_introspection: { ...answer },
      },
      { typ: INTROSPECTION_JWT_TYPE },
    );
  }
}
