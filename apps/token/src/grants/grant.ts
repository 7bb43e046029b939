import type { RegisteredClient } from '../clients/registered-client';
import type { IssuedTokens } from '../tokens/token-issuer.service';
import type { CommandMeta } from '../tokens/command-meta';
import type { StreamGuard } from '../tokens/token-ports';
import type { FormParams } from './token-params';

/** One grant type of the token endpoint (STYLE 7: each grant is its own file). */
export interface Grant {
  readonly grantType: string;
  /**
   * `clientGuards`: the authenticated client's stream version, appended with the token (a client changed
   * meanwhile fails the append with ConcurrencyError on its stream, issuing nothing).
   */
  handle(
    params: FormParams,
    client: RegisteredClient,
    meta: CommandMeta,
    clientGuards?: readonly StreamGuard[],
  ): Promise<IssuedTokens>;
}

/** Injection token of the list of grants the token endpoint dispatches to. */
export const GRANTS = Symbol('token:grants');
