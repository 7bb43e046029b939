import { SIGNING_KEY_ACTIVATED, SIGNING_KEY_CREATED, SIGNING_KEY_RETIRED } from '@tessera/contracts';
import { IllegalStateError, type NewEvent, type RecordedEvent } from '@tessera/event-store';
import {
  type CreateSigningKey,
  decideSigningKey,
  evolveSigningKey,
  type SigningKeyCommand,
  type SigningKeyState,
} from './signing-key.decider';

const T0 = new Date('2025-01-01T00:00:00Z');
const meta = (now = T0) => ({ now, actor: 'system' });
const publicJwk = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1', alg: 'ES256', use: 'sig' as const };
const create: CreateSigningKey = {
  type: 'CreateSigningKey',
  owner: 'token',
  kid: 'k1',
  alg: 'ES256',
  publicJwk,
  publishDelayMs: 60_000,
};

const activate = { type: 'ActivateSigningKey', owner: 'token' } as const;
const retire = { type: 'RetireSigningKey', owner: 'token' } as const;

function recorded(events: NewEvent[], at = T0): RecordedEvent[] {
  return events.map((e, i) => ({
    position: i + 1,
    transactionId: '1',
    streamId: 'signingkey-k1',
    streamVersion: i + 1,
    id: `e${i}`,
    type: e.type,
    schemaVersion: 1,
    data: e.data,
    metadata: e.metadata ?? {},
    recordedAt: at,
  }));
}

// given(events).when(command) → events
function given(...commands: [SigningKeyCommand, Date][]) {
  let state: SigningKeyState | null = null;
  for (const [c, now] of commands) {
    for (const e of recorded(decideSigningKey(state, c, meta(now)), now)) state = evolveSigningKey(state, e);
  }
  return {
    when:
      (c: SigningKeyCommand, now = T0) =>
      () =>
        decideSigningKey(state, c, meta(now)),
    state,
  };
}

describe('signing key decider (DESIGN §5)', () => {
  it('creates a key carrying only the public JWK and when it may sign', () => {
    const events = given().when(create)();
    expect(events.map((e) => e.type)).toEqual([SIGNING_KEY_CREATED]);
    expect(events[0].data).toEqual({
      kid: 'k1',
      owner: 'token',
      alg: 'ES256',
      publicJwk,
      activateAfter: '2025-01-01T00:01:00.000Z',
    });
  });

  it('refuses a public JWK with private members (no private key in the log)', () => {
    const leaky = { ...create, publicJwk: { ...publicJwk, d: 'secret' } };
    expect(given().when(leaky)).toThrow(IllegalStateError);
  });

  it('creating twice changes nothing', () => {
    expect(given([create, T0]).when(create)()).toEqual([]);
  });

  it('does not activate before the propagation delay, then activates once', () => {
    const g = given([create, T0]);
    expect(g.when(activate, new Date(T0.getTime() + 59_999))).toThrow(/not published long enough/);
    const later = new Date(T0.getTime() + 60_000);
    const events = g.when(activate, later)();
    expect(events.map((e) => e.type)).toEqual([SIGNING_KEY_ACTIVATED]);
    expect(given([create, T0], [activate, later]).when(activate, later)()).toEqual([]);
  });

  it('retires once; a retired key never signs again', () => {
    const later = new Date(T0.getTime() + 60_000);
    const g = given([create, T0], [activate, later], [retire, later]);
    expect(g.state).toMatchObject({ status: 'retired', retiredAt: later.toISOString() });
    expect(g.when(retire)()).toEqual([]);
    expect(g.when(activate, later)).toThrow(/retired/);
    expect(
      given([create, T0])
        .when(retire)()
        .map((e) => e.type),
    ).toEqual([SIGNING_KEY_RETIRED]);
  });

  it('refuses to activate or retire a key that does not exist', () => {
    expect(given().when(activate)).toThrow(IllegalStateError);
    expect(given().when(retire)).toThrow(IllegalStateError);
  });

  it('lets only its owner activate or retire a key (DESIGN §5: each service holds its own keys)', () => {
    const later = new Date(T0.getTime() + 60_000);
    const tokens = given([create, T0]);
    expect(tokens.when({ type: 'ActivateSigningKey', owner: 'introspection' }, later)).toThrow(/belongs to token/);
    expect(tokens.when({ type: 'RetireSigningKey', owner: 'introspection' })).toThrow(IllegalStateError);
    const theirs = given([{ ...create, owner: 'introspection' }, T0]);
    expect(theirs.state?.owner).toBe('introspection');
    expect(theirs.when(activate, later)).toThrow(/belongs to introspection/);
    expect(
      theirs
        .when({ type: 'ActivateSigningKey', owner: 'introspection' }, later)()
        .map((e) => e.type),
    ).toEqual([SIGNING_KEY_ACTIVATED]);
  });

  it("reads a key created before owners were recorded as the token service's", () => {
    const { owner: _owner, ...legacy } = decideSigningKey(null, create, meta())[0].data;
    const [event] = recorded([{ type: SIGNING_KEY_CREATED, data: legacy }]);
    expect(evolveSigningKey(null, event)).toMatchObject({ kid: 'k1', owner: 'token', status: 'created' });
  });
});
