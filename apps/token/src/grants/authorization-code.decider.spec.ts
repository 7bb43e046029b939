import { type AuthorizationCodeIssuedData, AuthorizationEvents } from '@tessera/contracts';
import type { RecordedEvent } from '@tessera/event-store';
import { InvalidGrantError, InvalidRequestError, s256CodeChallenge } from '@tessera/oauth';
import {
  authorizationCodeFrom,
  checkVerifierSyntax,
  codeRedeemed,
  decideRedemption,
  type RedeemAuthorizationCode,
} from './authorization-code.decider';

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const issuedAt = new Date('2030-01-01T00:00:00Z');
const now = new Date(issuedAt.getTime() + 10_000);

const issued = (over: Partial<AuthorizationCodeIssuedData> = {}): AuthorizationCodeIssuedData => ({
  handle: 'code-handle',
  clientId: 'rp-1',
  redirectUri: 'https://rp.example/cb',
  codeChallenge: s256CodeChallenge(VERIFIER),
  codeChallengeMethod: 'S256',
  scope: 'openid email',
  sub: 'user-1',
  sessionHandle: 'ses-handle',
  authTime: issuedAt.toISOString(),
  acr: 'urn:tessera:acr:pwd',
  amr: ['pwd'],
  issuedAt: issuedAt.toISOString(),
  expiresAt: new Date(issuedAt.getTime() + 60_000).toISOString(),
  sealedClaims: { iv: 'i', ct: 'c', tag: 't' },
  ...over,
});
const recorded = (type: string, data: object, version: number): RecordedEvent =>
  ({ type, data, streamId: 'authcode-code-handle', streamVersion: version }) as unknown as RecordedEvent;
const given = (...events: RecordedEvent[]) => authorizationCodeFrom(events);
const request = (over: Partial<RedeemAuthorizationCode> = {}): RedeemAuthorizationCode => ({
  clientId: 'rp-1',
  pkceRequired: true,
  redirectUri: 'https://rp.example/cb',
  codeVerifier: VERIFIER,
  ...over,
});
const meta = { now, actor: 'client:rp-1' };

describe('authorization code redemption (RFC 6749 §4.1.3, RFC 7636 §4.6)', () => {
  const fresh = () => given(recorded(AuthorizationEvents.codeIssued, issued(), 1));

  it('redeems a fresh code for its client, redirect URI and verifier', () => {
    expect(decideRedemption(fresh(), request(), now)).toEqual({ kind: 'redeem', code: issued() });
  });

  it('is a replay once redeemed, whoever presents it (RFC 9700 §4.5)', () => {
    const redeemed = codeRedeemed(issued(), { accessTokenHandle: 'at-1', familyId: 'fam-1' }, meta);
    const state = given(
      recorded(AuthorizationEvents.codeIssued, issued(), 1),
      recorded(redeemed.type, redeemed.data, 2),
    );
    for (const r of [request(), request({ clientId: 'other', codeVerifier: undefined })]) {
      expect(decideRedemption(state, r, now)).toMatchObject({
        kind: 'replay',
        redeemed: { handle: 'code-handle', clientId: 'rp-1', accessTokenHandle: 'at-1', familyId: 'fam-1' },
      });
    }
  });

  it.each([
    ['an unknown code', null, request(), now],
    ['an expired code (60 s, exclusive)', 'fresh', request(), new Date(issuedAt.getTime() + 60_000)],
    ['another client', 'fresh', request({ clientId: 'rp-2' }), now],
    ['another redirect URI (trailing slash)', 'fresh', request({ redirectUri: 'https://rp.example/cb/' }), now],
    ['another redirect URI (case)', 'fresh', request({ redirectUri: 'https://RP.example/cb' }), now],
    ['another redirect URI (query)', 'fresh', request({ redirectUri: 'https://rp.example/cb?x=1' }), now],
    ['a verifier that does not match', 'fresh', request({ codeVerifier: 'a'.repeat(43) }), now],
    ['no verifier for a code with a challenge', 'fresh', request({ codeVerifier: undefined }), now],
  ])('refuses %s with invalid_grant', (_what, state, r, at) => {
    expect(() => decideRedemption(state === null ? null : fresh(), r, at)).toThrow(InvalidGrantError);
  });

  it('refuses a missing redirect_uri as a malformed request', () => {
    expect(() => decideRedemption(fresh(), request({ redirectUri: undefined }), now)).toThrow(InvalidRequestError);
  });

  it('refuses a verifier for a code issued without a challenge (PKCE downgrade, RFC 9700 §2.1.1)', () => {
    const noPkce = given(
      recorded(AuthorizationEvents.codeIssued, issued({ codeChallenge: undefined, codeChallengeMethod: undefined }), 1),
    );
    expect(() => decideRedemption(noPkce, request({ pkceRequired: false }), now)).toThrow(InvalidGrantError);
    expect(() => decideRedemption(noPkce, request({ codeVerifier: undefined }), now)).toThrow(/must use PKCE/);
    expect(decideRedemption(noPkce, request({ codeVerifier: undefined, pkceRequired: false }), now).kind).toBe(
      'redeem',
    );
  });

  it('checks the verifier syntax before anything (RFC 7636 §4.1: invalid_request)', () => {
    expect(() => checkVerifierSyntax('short')).toThrow(InvalidRequestError);
    expect(() => checkVerifierSyntax(`${'a'.repeat(42)}/`)).toThrow(InvalidRequestError);
    expect(() => checkVerifierSyntax(VERIFIER)).not.toThrow();
    expect(() => checkVerifierSyntax(undefined)).not.toThrow();
  });

  it('records the redemption with what the code issued, never a token value', () => {
    const e = codeRedeemed(issued(), { accessTokenHandle: 'at-1' }, meta);
    expect(e.type).toBe('authorization-code.redeemed');
    expect(e.data).toEqual({
      handle: 'code-handle',
      clientId: 'rp-1',
      accessTokenHandle: 'at-1',
      redeemedAt: now.toISOString(),
    });
  });
});
