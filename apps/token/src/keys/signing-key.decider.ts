import { IllegalStateError } from '@tessera/event-store';
import {
  SIGNING_KEY_ACTIVATED,
  SIGNING_KEY_CREATED,
  SIGNING_KEY_RETIRED,
  type PublicSigningJwk,
  type SigningKeyActivatedData,
  type SigningKeyCreatedData,
  type SigningKeyRetiredData,
} from '@tessera/contracts';
import type { NewEvent, RecordedEvent } from '@tessera/event-store';
import { type CommandMeta, eventMetadata } from '../tokens/command-meta';

/** Where a key is in its life (DESIGN §5): published → signing → withdrawn. */
export type SigningKeyStatus = 'created' | 'active' | 'retired';

/** One signing key's public facts, folded from its stream `signingkey-<kid>`. */
export interface SigningKeyState {
  kid: string;
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
  kid: string;
  alg: string;
  publicJwk: PublicSigningJwk;
  /** How long the key is published before it may sign (JWKS caches must have seen it). */
  publishDelayMs: number;
}

/** Make the key the one that signs. */
export interface ActivateSigningKey {
  type: 'ActivateSigningKey';
}

/** Withdraw the key from /jwks. */
export interface RetireSigningKey {
  type: 'RetireSigningKey';
}

/** A command on one signing key. */
export type SigningKeyCommand = CreateSigningKey | ActivateSigningKey | RetireSigningKey;

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Folds one event into the key's state. */
export function evolveSigningKey(state: SigningKeyState | null, event: RecordedEvent): SigningKeyState | null {
  switch (event.type) {
    case SIGNING_KEY_CREATED: {
      const d = event.data as unknown as SigningKeyCreatedData;
      return {
        kid: d.kid,
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
 * never comes back. A command that changes nothing yields no events.
 */
export function decideSigningKey(
  state: SigningKeyState | null,
  command: SigningKeyCommand,
  meta: CommandMeta,
): NewEvent[] {
  const metadata = eventMetadata(meta);
  switch (command.type) {
    case 'CreateSigningKey': {
      if (state) return [];
      // DESIGN §2: no private key in the log, whatever the caller passed.
      const leaked = PRIVATE_MEMBERS.filter((m) => m in command.publicJwk);
      if (leaked.length > 0) throw new IllegalStateError(`public JWK carries private members: ${leaked.join(', ')}`);
      if (command.publicJwk.kid !== command.kid) throw new IllegalStateError('public JWK kid does not match');
      const data: SigningKeyCreatedData = {
        kid: command.kid,
        alg: command.alg,
        publicJwk: command.publicJwk,
        activateAfter: new Date(meta.now.getTime() + command.publishDelayMs).toISOString(),
      };
      return [{ type: SIGNING_KEY_CREATED, data: { ...data }, metadata }];
    }
    case 'ActivateSigningKey': {
      if (!state) throw new IllegalStateError('no such signing key');
      if (state.status === 'active') return [];
      if (state.status === 'retired') throw new IllegalStateError(`signing key ${state.kid} is retired`);
      if (meta.now.getTime() < Date.parse(state.activateAfter)) {
        throw new IllegalStateError(
          `signing key ${state.kid} is not published long enough (until ${state.activateAfter})`,
        );
      }
      const data: SigningKeyActivatedData = { kid: state.kid, activatedAt: meta.now.toISOString() };
      return [{ type: SIGNING_KEY_ACTIVATED, data: { ...data }, metadata }];
    }
    case 'RetireSigningKey': {
      if (!state) throw new IllegalStateError('no such signing key');
      if (state.status === 'retired') return [];
      const data: SigningKeyRetiredData = { kid: state.kid, retiredAt: meta.now.toISOString() };
      return [{ type: SIGNING_KEY_RETIRED, data: { ...data }, metadata }];
    }
    default: {
      const never: never = command;
      throw new Error(`unknown command ${(never as { type: string }).type}`);
    }
  }
}
