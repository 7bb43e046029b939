import { Module } from '@nestjs/common';
import { ConsentRevocationReactor } from './consent-revocation.reactor';

/** Revoking a consent revokes every grant it allowed (DESIGN §5, issue 5 §8). */
@Module({ providers: [ConsentRevocationReactor], exports: [ConsentRevocationReactor] })
export class ConsentRevocationModule {}
