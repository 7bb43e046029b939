import type { KafkaRevocationSubscriberOptions } from './kafka-revocation.subscriber';
import type { AccessTokenVerifierOptions } from './resource-server.options';
import type { RevocationListOptions } from './revocation-list';

/** Injection token of the module's options. */
export const RESOURCE_SERVER_OPTIONS = Symbol('RESOURCE_SERVER_OPTIONS');

/** Options of `ResourceServerModule`: how tokens are verified, and where revocations come from. */
export interface ResourceServerModuleOptions extends AccessTokenVerifierOptions {
  /** The `realm` of RFC 6750 §3 challenges (optional). */
  realm?: string;
  /** The revocation list's retention; with `kafka`, it is fed from `iam.revocations`. */
  revocations?: RevocationListOptions & { kafka?: KafkaRevocationSubscriberOptions };
}
