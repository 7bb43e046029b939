import {
  type AppendRequest,
  type AppendResult,
  ConcurrencyError,
  type EventStore,
  type LogCursor,
  type NewEvent,
  type RecordedEvent,
} from '@tessera/event-store';
import type { IssuerJwtCheck } from '../src/token-exchange/issuer-jwt.verifier';
import { TokenIssuer } from '../src/tokens/token-issuer.service';
import type { AccessTokenSigner, ScopeRequirement, ScopeRequirements } from '../src/tokens/token-ports';

/** A log for unit tests: appendMany is all or nothing with expected versions, like the real one. */
export class AtomicMemoryLog implements EventStore {
  readonly events: RecordedEvent[] = [];
  /** Called before each appendMany (a test can write in between, as a concurrent request would). */
  beforeAppend?: () => Promise<void>;

  async append(streamId: string, expectedVersion: number | 'any', events: readonly NewEvent[]): Promise<AppendResult> {
    return (await this.appendMany([{ streamId, expectedVersion, events }]))[0];
  }

  async appendMany(requests: readonly AppendRequest[]): Promise<AppendResult[]> {
    const hook = this.beforeAppend;
    this.beforeAppend = undefined;
    await hook?.();
    for (const r of requests) {
      const version = this.version(r.streamId);
      if (r.expectedVersion !== 'any' && r.expectedVersion !== version) {
        throw new ConcurrencyError(r.streamId, r.expectedVersion, version);
      }
    }
    return requests.map((r) => {
      let version = this.version(r.streamId);
      const positions = r.events.map((e) => {
        this.events.push({
          position: this.events.length + 1,
          transactionId: '1',
          streamId: r.streamId,
          streamVersion: ++version,
          id: `e${this.events.length + 1}`,
          type: e.type,
          schemaVersion: 1,
          data: e.data,
          metadata: e.metadata ?? {},
          recordedAt: new Date(0),
        });
        return this.events.length;
      });
      return { streamId: r.streamId, nextExpectedVersion: version, positions };
    });
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.events.filter((e) => e.streamId === streamId);
  }

  async readAll(cursor: LogCursor, limit: number): Promise<RecordedEvent[]> {
    return this.events.filter((e) => e.position > cursor.position).slice(0, limit);
  }

  async head(): Promise<LogCursor> {
    return { transactionId: '1', position: this.events.length };
  }

  async countAfter(cursor: LogCursor): Promise<number> {
    return this.events.filter((e) => e.position > cursor.position).length;
  }

  ofType(type: string): RecordedEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  private version(streamId: string): number {
    return this.events.filter((e) => e.streamId === streamId).length;
  }
}

/** A signer whose "JWTs" carry the payload in clear, and the check that knows which ones it made. */
export function fakeSigning(): {
  signer: AccessTokenSigner;
  check: IssuerJwtCheck;
  payloadOf(jwt: string): Record<string, unknown>;
} {
  const signed = new Set<string>();
  let n = 0;
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return {
    signer: {
      sign: async (payload, { typ }) => {
        const jwt = `${b64({ alg: 'ES256', typ })}.${b64(payload)}.sig${++n}`;
        signed.add(jwt);
        return jwt;
      },
    },
    check: { verify: async (jwt) => signed.has(jwt) },
    payloadOf: (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>,
  };
}

/** A real TokenIssuer over the fake log and signer; `claims` says which claims each scope requires. */
export function memoryIssuer(
  log: EventStore,
  signer: AccessTokenSigner,
  claims: Record<string, string[]> = {},
  issuer = 'https://issuer.example',
): TokenIssuer {
  return new TokenIssuer(log, { issuer }, signer, memoryScopes(claims));
}

/** Scope requirements from a fixed table (no scope streams, so no guards). */
export function memoryScopes(claims: Record<string, string[]> = {}): ScopeRequirements {
  const get = async (names: readonly string[]): Promise<ScopeRequirement[]> =>
    names.map((name) => ({ name, requiredClaims: claims[name] ?? [] }));
  return {
    get,
    getGuarded: async (names) => ({ requirements: await get(names), guards: [], fresh: true }),
    forget: () => undefined,
  };
}
