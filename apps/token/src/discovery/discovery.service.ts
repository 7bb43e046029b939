import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CONFIG, type TesseraConfig } from '@tessera/platform';
import { CLIENT_ASSERTION_ALGORITHMS } from '../clients/client-assertion.verifier';
import { SUPPORTED_AUTH_METHODS } from '../clients/client-metadata.validator';
import { GRANTS, type Grant } from '../grants/grant';
import { SIGNING_KEY_SETTINGS, type SigningKeySettings } from '../keys/signing-key.settings';
import { ScopeCatalog } from '../scopes/scope.catalog';
import { serverMetadata, type ServerMetadata } from './server-metadata';

/** Assembles the discovery document from what is wired in: grants, auth methods, scopes, key algorithm. */
@Injectable()
export class DiscoveryService {
  constructor(
    @Inject(CONFIG) private readonly config: TesseraConfig,
    @Inject(SIGNING_KEY_SETTINGS) private readonly keySettings: SigningKeySettings,
    private readonly scopes: ScopeCatalog,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** The metadata document served at both well-known paths. */
  async metadata(): Promise<ServerMetadata> {
    if (this.config.mode === 'cli') throw new Error('discovery needs a serving config');
    const scopes = await this.scopes.list();
    return serverMetadata({
      issuer: this.config.issuer,
      scopes: scopes.map((s) => s.name),
      scopeClaims: scopes.flatMap((s) => s.requiredClaims),
      grantTypes: this.grantTypes(),
      authMethods: SUPPORTED_AUTH_METHODS,
      authSigningAlgorithms: CLIENT_ASSERTION_ALGORITHMS,
      signingAlgorithms: [this.keySettings.algorithm],
    });
  }

  // The grants the token endpoint dispatches to: listing them is never out of date.
  private grantTypes(): string[] {
    try {
      return this.moduleRef.get<Grant[]>(GRANTS, { strict: false }).map((g) => g.grantType);
    } catch {
      return [];
    }
  }
}
