import { AUDIT_CHECKPOINT_TYP, AUDIT_SOURCE, SIGNING_KEY_CREATED, signingKeyStream } from '@tessera/contracts';
import type { EventStore, RecordedEvent } from '@tessera/event-store';
import { generateSigningKey, importSigningKey } from '@tessera/keys';
import { SignJWT } from 'jose';
import type { StoredCheckpoint } from '../trail/chain-checkpoints';
import { CheckpointSignatures } from './checkpoint-signature';

async function keyOf(owner: string) {
  const key = await generateSigningKey('ES256');
  const created: RecordedEvent = {
    position: 1,
    transactionId: '1',
    streamId: signingKeyStream(key.kid),
    streamVersion: 1,
    id: key.kid,
    type: SIGNING_KEY_CREATED,
    schemaVersion: 1,
    data: { kid: key.kid, owner, alg: key.alg, publicJwk: key.publicJwk, activateAfter: '' },
    metadata: {},
    recordedAt: new Date(),
  };
  return { key, created };
}

function storeOf(events: RecordedEvent[]): EventStore {
  return {
    readStream: async (stream: string) => events.filter((e) => e.streamId === stream),
  } as unknown as EventStore;
}

async function checkpoint(
  key: Awaited<ReturnType<typeof generateSigningKey>>,
  claims: Record<string, unknown>,
  typ = AUDIT_CHECKPOINT_TYP,
): Promise<StoredCheckpoint> {
  const jws = await new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ })
    .sign(await importSigningKey(key.privateJwk, key.alg));
  return { seq: 10, hash: 'a'.repeat(64), kid: key.kid, jws, signedAt: new Date() };
}

describe('CheckpointSignatures', () => {
  const claims = { iss: AUDIT_SOURCE, seq: 10, hash: 'a'.repeat(64), iat: 1 };

  it('accepts a checkpoint signed by an audit key of the log', async () => {
    const { key, created } = await keyOf('audit');
    const signatures = new CheckpointSignatures(storeOf([created]));
    expect(await signatures.problem(await checkpoint(key, claims))).toBeNull();
  });

  it('refuses a stored hash or seq that differs from the signed one', async () => {
    const { key, created } = await keyOf('audit');
    const signatures = new CheckpointSignatures(storeOf([created]));
    const stored = await checkpoint(key, claims);
    expect(await signatures.problem({ ...stored, hash: 'b'.repeat(64) })).toMatch(/differs from the signed one/);
    expect(await signatures.problem({ ...stored, seq: 11 })).toMatch(/differs from the signed one/);
  });

  it('refuses a key of another owner, an unknown key, a broken signature and a foreign typ', async () => {
    const token = await keyOf('token');
    const audit = await keyOf('audit');
    const signatures = new CheckpointSignatures(storeOf([token.created, audit.created]));
    expect(await signatures.problem(await checkpoint(token.key, claims))).toMatch(/not an audit signing key/);
    const unknown = await generateSigningKey('ES256');
    expect(await signatures.problem(await checkpoint(unknown, claims))).toMatch(/not an audit signing key/);
    const good = await checkpoint(audit.key, claims);
    const [header, payload, signature] = good.jws.split('.');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await signatures.problem({ ...good, jws: `${header}.${payload}.${flipped}` })).toMatch(/signature invalid/);
    expect(await signatures.problem(await checkpoint(audit.key, claims, 'at+jwt'))).toMatch(/not an audit checkpoint/);
  });
});
