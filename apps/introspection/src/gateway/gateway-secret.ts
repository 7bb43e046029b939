import { type TesseraConfig, tokensEqual } from '@tessera/platform';
import type { Logger } from '@tessera/telemetry';

/** Injection token of the GatewaySecret. */
export const GATEWAY_SECRET = Symbol('introspection:gateway-secret');

/**
 * Who may call `/gateway/phantom`: only a caller presenting `TESSERA_GATEWAY_SECRET` (nginx sets it on
 * its internal phantom location). Without a configured secret nobody may: the endpoint hands out
 * signed JWTs for opaque tokens, so reaching the service's port must not be enough.
 */
export class GatewaySecret {
  constructor(private readonly expected: string | undefined) {}

  /** False when no secret is configured: every call is refused. */
  get enabled(): boolean {
    return this.expected !== undefined;
  }

  /** True for exactly the configured secret (constant time); never for a missing or repeated header. */
  accepts(presented: string | string[] | undefined): boolean {
    if (this.expected === undefined || typeof presented !== 'string') return false;
    return tokensEqual(presented, this.expected);
  }
}

/** The configured gateway secret; without one, says at start that the endpoint is off (never the value). */
export function gatewaySecretFromConfig(config: TesseraConfig, logger: Logger): GatewaySecret {
  const secret = config.mode === 'cli' ? undefined : config.gatewaySecret?.reveal();
  if (secret === undefined) {
    logger.warn('gateway endpoint /gateway/phantom is disabled (403 to every call): TESSERA_GATEWAY_SECRET is not set');
  }
  return new GatewaySecret(secret);
}
