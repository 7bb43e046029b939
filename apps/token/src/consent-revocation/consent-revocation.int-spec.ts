import {
  accessTokenStream,
  ConsentEvents,
  consentRevocationStream,
  consentStream,
  TokenEvents,
} from '@tessera/contracts';
import { type TokenTestApp, startTokenTestApp } from '../../test/token-test-app';
import { tokenHandle } from '../tokens/opaque-token';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { eventually } from '../../../../test/support/oauth-helpers';

jest.setTimeout(120_000);

// DESIGN §5 on each mode: rows of token.consent_grants that turn pending again
// after their cascade with nothing left to revoke (a late token of an already
// revoked family) are closed, and 60 of them (more than one poll batch) do not
// hold up a later consent revocation.

describe.each(['distributed', 'standalone'] as const)('consent revocation cascade (%s)', (mode) => {
  let t: TokenTestApp;
  const clientId = 'app';

  beforeAll(async () => {
    t = await startTokenTestApp(mode);
  });
  afterAll(async () => {
    await t?.close();
  });

  const revokeConsent = (consentId: string, sub: string) =>
    t.store.append(`${consentStream(sub, clientId)}`, 0, [
      {
        type: ConsentEvents.revoked,
        data: { consentId, sub, clientId, revokedAt: new Date().toISOString() },
      },
    ]);

  it('closes rows made pending by late grants with nothing to revoke; 60 of them do not block a new cascade', async () => {
    const now = new Date();
    const later = new Date(now.getTime() + 3_600_000).toISOString();
    const stuck = Array.from({ length: 60 }, (_, i) => `a-stuck-${String(i).padStart(2, '0')}`);
    for (const [i, consentId] of stuck.entries()) {
      const sub = `u-${consentId}`;
      await revokeConsent(consentId, sub);
      // Its cascade, already recorded (nothing was live then).
      await t.store.append(consentRevocationStream(consentId), 0, [
        {
          type: TokenEvents.grantsRevoked,
          data: {
            consentId,
            sub,
            clientId,
            reason: 'consent_revoked',
            refreshFamilyIds: [],
            refreshHandles: [],
            accessTokenHandles: [],
            revokedAt: now.toISOString(),
          },
        },
      ]);
      // Then a token of a family that is gone: the row turns pending, with nothing to revoke.
      const handle = `late-${i}`;
      await t.store.append(accessTokenStream(handle), 0, [
        {
          type: TokenEvents.accessTokenIssued,
          data: {
            handle,
            clientId,
            sub,
            scope: 'openid',
            aud: ['api'],
            format: 'reference',
            jti: handle,
            issuedAt: now.toISOString(),
            expiresAt: later,
            familyId: `gone-${i}`,
            consentId,
          },
        },
      ]);
    }

    // A consent revoked after them (its key sorts last) with one live token.
    const live = await t.get<TokenIssuer>(TokenIssuer).issue({
      clientId,
      format: 'reference',
      sub: 'u-live',
      scopes: ['openid'],
      audience: ['api'],
      consentId: 'z-live',
      meta: { now: new Date(), actor: 'user:u-live' },
    });
    await revokeConsent('z-live', 'u-live');

    const cascade = await eventually(
      async () => {
        const events = await t.store.readStream(consentRevocationStream('z-live'));
        return events.length > 0 ? events : undefined;
      },
      30_000,
      'the z-live cascade',
    );
    expect(cascade).toHaveLength(1);
    expect(cascade[0].data).toMatchObject({ accessTokenHandles: [tokenHandle(live.access_token)] });

    // Every stuck row is closed by one empty cascade, and stays closed (no repeated appends).
    await eventually(
      async () => {
        const [{ n }] = await t.db.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM token.consent_grants WHERE state->>'pending' = 'true'`,
        );
        return n === '0' ? true : undefined;
      },
      30_000,
      'no pending consent_grants rows',
    );
    await new Promise((r) => setTimeout(r, 1_000));
    for (const consentId of stuck) {
      const events = await t.store.readStream(consentRevocationStream(consentId));
      expect(events.map((e) => [e.type, e.data.accessTokenHandles])).toEqual([
        [TokenEvents.grantsRevoked, []],
        [TokenEvents.grantsRevoked, []],
      ]);
    }
  });
});
