import { ActiveKeySigner } from '@tessera/keys';

/** Signs the token service's JWTs (access and ID tokens) with ITS active key (DESIGN §5). */
export class TokenSigner extends ActiveKeySigner {}
