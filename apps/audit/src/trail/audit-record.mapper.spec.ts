import {
  AuthorizationEvents,
  ClientEvents,
  ScopeEvents,
  SIGNING_KEY_CREATED,
  TokenEvents,
  TokenExchangeEvents,
  UserEvents,
} from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import { toAuditRecord } from './audit-record.mapper';
import { applyScopeEvent, type ScopeClaims } from './scope-claims';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SECRET_MARKERS = [
  'ciphertext',
  'sealed',
  'CIPHER',
  'iv-x',
  'tag-x',
  'secret-value',
  'alice@example.com',
  'd-priv',
];

let position = 0;
function event(type: string, data: Record<string, unknown>, metadata: Record<string, unknown> = {}): RecordedEvent {
  position++;
  return {
    position,
    transactionId: '100',
    streamId: `stream-${position}`,
    streamVersion: 1,
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type,
    schemaVersion: 1,
    data,
    metadata: { correlationId: 'corr-1', traceparent: `00-${TRACE}-00f067aa0ba902b7-01`, ...metadata },
    recordedAt: new Date('2026-11-29T10:00:00.000Z'),
  };
}

function leaks(record: unknown): string[] {
  const text = JSON.stringify(record);
  return SECRET_MARKERS.filter((m) => text.includes(m));
}

describe('toAuditRecord', () => {
  let scopes: ScopeClaims;
  beforeEach(() => {
    scopes = new Map();
    applyScopeEvent(
      scopes,
      event(ScopeEvents.defined, { name: 'orders_read', description: 'x', claims: ['account_nr'] }),
    );
  });

  it('access-token.issued: who received which claim NAMES about whom, never the sealed values', () => {
    const record = toAuditRecord(
      event(
        TokenEvents.accessTokenIssued,
        {
          handle: 'h1',
          clientId: 'c1',
          sub: 'u1',
          scope: 'orders_read openid',
          aud: ['https://api.example'],
          format: 'reference',
          jti: 'j1',
          issuedAt: 'x',
          expiresAt: 'y',
          sealedClaims: { iv: 'iv-x', ct: 'CIPHER', tag: 'tag-x' },
        },
        { actor: 'client:c1' },
      ),
      scopes,
    );
    expect(record).toEqual({
      eventId: expect.any(String),
      position: expect.any(Number),
      time: '2026-11-29T10:00:00.000Z',
      action: 'access-token.issued',
      actor: { kind: 'client', id: 'c1' },
      subject: 'u1',
      clientId: 'c1',
      target: { stream: expect.any(String), ids: { handle: 'h1', jti: 'j1', aud: ['https://api.example'] } },
      scopes: ['orders_read', 'openid'],
      claims: ['account_nr'],
      outcome: 'success',
      correlationId: 'corr-1',
      traceId: TRACE,
    });
    expect(leaks(record)).toEqual([]);
  });

  it('releases no claim names when nothing was sealed into the token', () => {
    const record = toAuditRecord(
      event(TokenEvents.accessTokenIssued, { handle: 'h', clientId: 'c', sub: 'c', scope: 'orders_read', aud: [] }),
      scopes,
    );
    expect(record.claims).toBeUndefined();
  });

  it('claim names come from the scope as defined before the event', () => {
    applyScopeEvent(scopes, event(ScopeEvents.defined, { name: 'orders_read', description: 'x', claims: ['tier'] }));
    const record = toAuditRecord(
      event(TokenEvents.accessTokenIssued, { sub: 'u', clientId: 'c', scope: 'orders_read', sealedClaims: {} }),
      scopes,
    );
    expect(record.claims).toEqual(['tier']);
  });

  it('user events keep the user id only: never the encrypted personal data', () => {
    for (const type of Object.values(UserEvents)) {
      const record = toAuditRecord(
        event(type, {
          userId: 'u-1',
          active: true,
          personal: { alg: 'A256GCM', iv: 'iv-x', ciphertext: 'CIPHER', tag: 'tag-x' },
          createdAt: 'x',
        }),
        scopes,
      );
      expect(record).toMatchObject({ action: type, subject: 'u-1', target: { ids: { userId: 'u-1' } } });
      expect(leaks(record)).toEqual([]);
      expect(Object.keys(record).sort()).not.toContain('personal');
    }
  });

  it('client events keep the client id and scopes, not its metadata', () => {
    const record = toAuditRecord(
      event(ClientEvents.registered, {
        clientId: 'c9',
        issuedAt: 1,
        metadata: {
          client_name: 'alice@example.com',
          scope: 'a b',
          redirect_uris: ['https://x'],
          jwks: { keys: [{ d: 'd-priv' }] },
        },
      }),
      scopes,
    );
    expect(record).toMatchObject({ clientId: 'c9', scopes: ['a', 'b'], target: { ids: {} } });
    expect(leaks(record)).toEqual([]);
  });

  it('signing keys: kid and owner, never the JWK', () => {
    const record = toAuditRecord(
      event(SIGNING_KEY_CREATED, { kid: 'k1', owner: 'audit', alg: 'ES256', publicJwk: { kty: 'EC', x: 'd-priv' } }),
      scopes,
    );
    expect(record.target.ids).toEqual({ kid: 'k1', owner: 'audit' });
    expect(leaks(record)).toEqual([]);
  });

  it('revocation by reuse is a detected replay, with its reason', () => {
    const record = toAuditRecord(
      event(TokenEvents.refreshFamilyRevoked, {
        familyId: 'f',
        clientId: 'c',
        sub: 'u',
        reason: 'refresh_token_reuse',
        refreshHandles: ['r1'],
        accessTokenHandles: ['a1'],
      }),
      scopes,
    );
    expect(record).toMatchObject({ outcome: 'replay-detected', reason: 'refresh_token_reuse', subject: 'u' });
    expect(record.target.ids).toEqual({ familyId: 'f', refreshHandles: ['r1'], accessTokenHandles: ['a1'] });
  });

  it('authorization codes: OIDC claim names for openid scopes, not the nonce, challenge or redirect URI', () => {
    const record = toAuditRecord(
      event(AuthorizationEvents.codeIssued, {
        handle: 'h',
        clientId: 'c',
        sub: 'u',
        scope: 'openid email',
        redirectUri: 'https://secret-value.example/cb',
        codeChallenge: 'secret-value',
        nonce: 'secret-value',
        sessionHandle: 's',
        sealedClaims: { iv: 'iv-x', ct: 'CIPHER', tag: 'tag-x' },
      }),
      scopes,
    );
    expect(record.claims).toEqual(['email', 'email_verified', 'sub']);
    expect(leaks(record)).toEqual([]);
  });

  it('unknown event types keep type and well-known ids only (safe default)', () => {
    const record = toAuditRecord(
      event(
        'mfa.totp-enrolled',
        { userId: 'u2', secret: 'secret-value', email: 'alice@example.com', n: 3 },
        {
          actor: 'user:u2',
        },
      ),
      scopes,
    );
    expect(record).toMatchObject({ action: 'mfa.totp-enrolled', subject: 'u2', target: { ids: { userId: 'u2' } } });
    expect(leaks(record)).toEqual([]);
  });

  it('token exchange: who exchanged which token for whom, with the act chain and the dropped scopes', () => {
    const record = toAuditRecord(
      event(
        TokenExchangeEvents.tokenExchanged,
        {
          handle: 'h2',
          parentHandle: 'h1',
          clientId: 'svc-b',
          sub: 'u',
          act: { sub: 'svc-b', act: { sub: 'svc-a' } },
          audience: 'https://orders.example',
          scope: 'orders_read',
          droppedScopes: ['orders_write'],
          exchangedAt: 'x',
          expiresAt: 'y',
        },
        { actor: 'client:svc-b' },
      ),
      scopes,
    );
    expect(record).toMatchObject({
      action: 'token.exchanged',
      actor: { kind: 'client', id: 'svc-b', act: [{ sub: 'svc-b' }, { sub: 'svc-a' }] },
      subject: 'u',
      clientId: 'svc-b',
      scopes: ['orders_read'],
      target: {
        ids: { handle: 'h2', parentHandle: 'h1', aud: 'https://orders.example', droppedScopes: ['orders_write'] },
      },
    });
  });

  it('token.exchanged keeps exactly ids and scope names: no times, no other act claims, nothing unnamed', () => {
    const record = toAuditRecord(
      event(
        TokenExchangeEvents.tokenExchanged,
        {
          handle: 'h3',
          parentHandle: 'h2',
          parentFamilyId: 'f1',
          clientId: 'svc-c',
          sub: 'u',
          act: { sub: 'svc-c', email: 'alice@example.com', act: { sub: 'svc-b', act: { sub: 'svc-a' } } },
          audience: 'https://ledger.example',
          scope: 'ledger_read',
          droppedScopes: ['orders_read', 'orders_write'],
          exchangedAt: '2026-11-29T10:00:00.000Z',
          expiresAt: '2026-11-29T10:05:00.000Z',
          token: 'secret-value',
        },
        { actor: 'client:svc-c' },
      ),
      scopes,
    );
    expect(record).toEqual({
      eventId: expect.any(String),
      position: expect.any(Number),
      time: '2026-11-29T10:00:00.000Z',
      action: 'token.exchanged',
      actor: { kind: 'client', id: 'svc-c', act: [{ sub: 'svc-c' }, { sub: 'svc-b' }, { sub: 'svc-a' }] },
      subject: 'u',
      clientId: 'svc-c',
      target: {
        stream: expect.any(String),
        ids: {
          handle: 'h3',
          parentHandle: 'h2',
          parentFamilyId: 'f1',
          aud: 'https://ledger.example',
          droppedScopes: ['orders_read', 'orders_write'],
        },
      },
      scopes: ['ledger_read'],
      outcome: 'success',
      correlationId: 'corr-1',
      traceId: TRACE,
    });
    expect(leaks(record)).toEqual([]);
  });

  it('token-lineage.revoked: the descendants revoked after a revocation without lineage, and why', () => {
    const record = toAuditRecord(
      event(
        TokenExchangeEvents.tokenLineageRevoked,
        {
          key: 'f1',
          sourceEventId: 'ev-9',
          clientId: 'app',
          sub: 'u',
          reason: 'ancestor_revoked',
          cause: 'refresh_token_reuse',
          descendantHandles: ['h2', 'h3'],
          revokedAt: '2026-11-29T10:00:00.000Z',
        },
        { actor: 'system:token-lineage' },
      ),
      scopes,
    );
    expect(record).toMatchObject({
      action: 'token-lineage.revoked',
      actor: { kind: 'system', id: 'token-lineage' },
      subject: 'u',
      clientId: 'app',
      reason: 'ancestor_revoked',
      outcome: 'revoked',
      target: {
        ids: { key: 'f1', sourceEventId: 'ev-9', cause: 'refresh_token_reuse', descendantHandles: ['h2', 'h3'] },
      },
    });
    expect(Object.keys(record.target.ids).sort()).toEqual(['cause', 'descendantHandles', 'key', 'sourceEventId']);
  });

  it('actor with the RFC 8693 act chain (ids only); unrecognised actor strings are not copied', () => {
    const exchanged = toAuditRecord(
      event(
        TokenEvents.accessTokenIssued,
        {
          sub: 'u',
          clientId: 'svc-b',
          scope: '',
          act: { sub: 'svc-b', client_id: 'svc-b', email: 'alice@example.com', act: { sub: 'svc-a' } },
        },
        { actor: 'client:svc-b' },
      ),
      scopes,
    );
    expect(exchanged.actor).toEqual({
      kind: 'client',
      id: 'svc-b',
      act: [{ sub: 'svc-b', clientId: 'svc-b' }, { sub: 'svc-a' }],
    });
    expect(leaks(exchanged)).toEqual([]);
    const odd = toAuditRecord(event('x.y', {}, { actor: 'alice@example.com' }), scopes);
    expect(odd.actor).toEqual({ kind: 'unknown' });
  });
});
