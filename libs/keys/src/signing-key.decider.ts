import {
  LEGACY_SIGNING_KEY_OWNER,
  SIGNING_KEY_ACTIVATED,
  SIGNING_KEY_CREATED,
  SIGNING_KEY_RETIRED,
  type PublicSigningJwk,
  type SigningKeyActivatedData,
  type SigningKeyCreatedData,
  type SigningKeyRetiredData,
} from '@tessera/contracts';
import { IllegalStateError, type EventMetadata, type NewEvent, type RecordedEvent } from '@tessera/event-store';

/** Where a key is in its life (DESIGN §5): published → signing → withdrawn. */
export type SigningKeyStatus = 'created' | 'active' | 'retired';

/** One signing key's public facts, folded from its stream `signingkey-<kid>`. */
export interface SigningKeyState {
  kid: string;
  /** The service that holds its private half and signs with it. */
  owner: string;
  alg: string;
  publicJwk: PublicSigningJwk;
  status: SigningKeyStatus;
  createdAt: string;
  activateAfter: string;
  activatedAt?: string;
  retiredAt?: string;
}

/** Publish a freshly generated key (its private part is sealed elsewhere, never in the command's events). */
export interface CreateSigningKey {
  type: 'CreateSigningKey';
  owner: string;
  kid: string;
  alg: string;
  publicJwk: PublicSigningJwk;
  /** How long the key is published before it may sign (JWKS caches must have seen it). */
  publishDelayMs: number;
}

/** Make the key the one that signs for `owner`. */
export interface ActivateSigningKey {
  type: 'ActivateSigningKey';
  owner: string;
}

/** Withdraw the key from /jwks; only its owner may. */
export interface RetireSigningKey {
  type: 'RetireSigningKey';
  owner: string;
}

/** A command on one signing key. */
export type SigningKeyCommand = CreateSigningKey | ActivateSigningKey | RetireSigningKey;

/** Metadata of a signing key command (STYLE 4): the clock arrives here, so the decider stays pure. */
export interface SigningKeyCommandMeta {
  now: Date;
  actor: string;
  correlationId?: string;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Folds one event into the key's state. */
export function evolveSigningKey(state: SigningKeyState | null, event: RecordedEvent): SigningKeyState | null {
  switch (event.type) {
    case SIGNING_KEY_CREATED: {
      const d = event.data as unknown as SigningKeyCreatedData;
      return {
        kid: d.kid,
        owner: d.owner ?? LEGACY_SIGNING_KEY_OWNER,
        alg: d.alg,
        publicJwk: d.publicJwk,
        status: 'created',
        createdAt: event.recordedAt.toISOString(),
        activateAfter: d.activateAfter,
      };
    }
    case SIGNING_KEY_ACTIVATED: {
      const d = event.data as unknown as SigningKeyActivatedData;
      return state && { ...state, status: 'active', activatedAt: d.activatedAt };
    }
    case SIGNING_KEY_RETIRED: {
      const d = event.data as unknown as SigningKeyRetiredData;
      return state && { ...state, status: 'retired', retiredAt: d.retiredAt };
    }
    default:
      return state;
  }
}

/**
 * The key's rules (DESIGN §5): a key is published before it signs, so it may
 * be activated only once its propagation delay has passed; a retired key
 * never comes back; only the service holding the private half (its owner)
 * activates or retires it. A command that changes nothing yields no events.
 */
export function decideSigningKey(
  state: SigningKeyState | null,
  command: SigningKeyCommand,
  meta: SigningKeyCommandMeta,
): NewEvent[] {
  const metadata: EventMetadata = meta.correlationId
    ? { actor: meta.actor, correlationId: meta.correlationId }
    : { actor: meta.actor };
  switch (command.type) {
    case 'CreateSigningKey': {
      if (state) return [];
      // DESIGN §2: no private key in the log, whatever the caller passed.
      const leaked = PRIVATE_MEMBERS.filter((m) => m in command.publicJwk);
      if (leaked.length > 0) throw new IllegalStateError(`public JWK carries private members: ${leaked.join(', ')}`);
      if (command.publicJwk.kid !== command.kid) throw new IllegalStateError('public JWK kid does not match');
      const data: SigningKeyCreatedData = {
        kid: command.kid,
        owner: command.owner,
        alg: command.alg,
        publicJwk: command.publicJwk,
        activateAfter: new Date(meta.now.getTime() + command.publishDelayMs).toISOString(),
      };
      return [{ type: SIGNING_KEY_CREATED, data: { ...data }, metadata }];
    }
    case 'ActivateSigningKey': {
      const key = owned(state, command.owner);
      if (key.status === 'active') return [];
      if (key.status === 'retired') throw new IllegalStateError(`signing key ${key.kid} is retired`);
      if (meta.now.getTime() < Date.parse(key.activateAfter)) {
        throw new IllegalStateError(`signing key ${key.kid} is not published long enough (until ${key.activateAfter})`);
      }
      const data: SigningKeyActivatedData = { kid: key.kid, activatedAt: meta.now.toISOString() };
      return [{ type: SIGNING_KEY_ACTIVATED, data: { ...data }, metadata }];
    }
    case 'RetireSigningKey': {
      const key = owned(state, command.owner);
      if (key.status === 'retired') return [];
      const data: SigningKeyRetiredData = { kid: key.kid, retiredAt: meta.now.toISOString() };
      return [{ type: SIGNING_KEY_RETIRED, data: { ...data }, metadata }];
    }
    default: {
      const never: never = command;
      throw new Error(`unknown command ${(never as { type: string }).type}`);
    }
  }
}

function owned(state: SigningKeyState | null, owner: string): SigningKeyState {
  if (!state) throw new IllegalStateError('no such signing key');
  // DESIGN §5: each service holds its own keys; another service's key is not ours to activate or retire.
  if (state.owner !== owner) throw new IllegalStateError(`signing key ${state.kid} belongs to ${state.owner}`);
  return state;
}
