import type { SessionState } from '@tessera/contracts';
import { type ConsentView, decideContinue } from './authorization-flow.decider';
import type { AuthorizationRequestState } from './authorization-request.state';

const NOW = new Date('2026-11-29T10:05:00.000Z');

const request = (overrides: Partial<AuthorizationRequestState> = {}): AuthorizationRequestState => ({
  requestId: 'r1',
  clientId: 'app',
  redirectUri: 'https://app.example/cb',
  scope: 'openid profile',
  state: 's',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  codeChallengeMethod: 'S256',
  receivedAt: '2026-11-29T10:00:00.000Z',
  expiresAt: '2026-11-29T10:10:00.000Z',
  completed: false,
  version: 1,
  ...overrides,
});

const session = (authTime = '2026-11-29T09:00:00.000Z'): SessionState => ({
  sessionHandle: 'h',
  sub: 'user-1',
  authTime,
  amr: ['pwd'],
  acr: 'urn:tessera:acr:pwd',
  expiresAt: '2026-11-29T21:00:00.000Z',
  ended: false,
});

const consent = (overrides: Partial<ConsentView> = {}): ConsentView => ({
  consentId: 'c.1',
  scopes: ['openid', 'profile'],
  revoked: false,
  lastGrantedAt: '2026-11-28T10:00:00.000Z',
  ...overrides,
});

describe('decideContinue (brief 5 flow)', () => {
  it('sends a browser without a session to the login page', () => {
    expect(decideContinue({ request: request(), session: null, consent: null, now: NOW })).toEqual({ kind: 'login' });
  });

  it('answers prompt=none without a session with login_required at the redirect URI', () => {
    const d = decideContinue({ request: request({ prompt: 'none' }), session: null, consent: null, now: NOW });
    expect(d.kind).toBe('redirect-error');
    if (d.kind === 'redirect-error') expect(d.error.error).toBe('login_required');
  });

  it('answers prompt=none without consent with consent_required', () => {
    const d = decideContinue({ request: request({ prompt: 'none' }), session: session(), consent: null, now: NOW });
    expect(d.kind === 'redirect-error' && d.error.error).toBe('consent_required');
  });

  it('asks to sign in again for prompt=login until the user signed in after the request', () => {
    const r = request({ prompt: 'login' });
    expect(decideContinue({ request: r, session: session(), consent: consent(), now: NOW }).kind).toBe('login');
    const fresh = session('2026-11-29T10:01:00.000Z');
    expect(decideContinue({ request: r, session: fresh, consent: consent(), now: NOW }).kind).toBe('issue');
  });

  it('asks to sign in again when max_age has passed since auth_time', () => {
    const r = request({ maxAge: 600 });
    expect(decideContinue({ request: r, session: session(), consent: consent(), now: NOW }).kind).toBe('login');
    const recent = session('2026-11-29T09:58:00.000Z');
    expect(decideContinue({ request: r, session: recent, consent: consent(), now: NOW }).kind).toBe('issue');
  });

  it('treats max_age=0 like prompt=login, without looping once the user signed in for this request', () => {
    const r = request({ maxAge: 0 });
    expect(
      decideContinue({ request: r, session: session('2026-11-29T09:59:59.000Z'), consent: consent(), now: NOW }).kind,
    ).toBe('login');
    const justNow = session('2026-11-29T10:00:30.000Z');
    expect(decideContinue({ request: r, session: justNow, consent: consent(), now: NOW }).kind).toBe('issue');
  });

  it('asks for consent for an ungranted scope, not for openid alone', () => {
    const r = request({ scope: 'openid profile orders_read' });
    expect(decideContinue({ request: r, session: session(), consent: consent(), now: NOW }).kind).toBe('consent');
    const openidOnly = request({ scope: 'openid' });
    expect(decideContinue({ request: openidOnly, session: session(), consent: null, now: NOW }).kind).toBe('issue');
  });

  it('asks again after a revocation, and for prompt=consent once per request', () => {
    const revoked = consent({ revoked: true, scopes: [] });
    expect(decideContinue({ request: request(), session: session(), consent: revoked, now: NOW }).kind).toBe('consent');
    const r = request({ prompt: 'consent' });
    expect(decideContinue({ request: r, session: session(), consent: consent(), now: NOW }).kind).toBe('consent');
    const answered = consent({ lastGrantedAt: '2026-11-29T10:02:00.000Z', lastRequestId: 'r1' });
    expect(decideContinue({ request: r, session: session(), consent: answered, now: NOW }).kind).toBe('issue');
  });

  it('binds "answered for this request" by request id, not by the consent service clock', () => {
    const r = request({ prompt: 'consent' });
    // A grant for a concurrent request, stamped after this one was received: still asks.
    const other = consent({ lastGrantedAt: '2026-11-29T10:02:00.000Z', lastRequestId: 'r2' });
    expect(decideContinue({ request: r, session: session(), consent: other, now: NOW }).kind).toBe('consent');
    // The consent service's clock runs 5 minutes late: its answer to this request still counts (no loop).
    const skewed = consent({ lastGrantedAt: '2026-11-29T09:55:00.000Z', lastRequestId: 'r1' });
    expect(decideContinue({ request: r, session: session(), consent: skewed, now: NOW }).kind).toBe('issue');
  });

  it('issues a code for the scopes granted on this request (partial consent), with the consent id', () => {
    const r = request({ scope: 'openid profile orders_read' });
    const partial = consent({ scopes: ['profile'], lastGrantedAt: '2026-11-29T10:02:00.000Z', lastRequestId: 'r1' });
    const d = decideContinue({ request: r, session: session(), consent: partial, now: NOW });
    expect(d).toMatchObject({ kind: 'issue', scope: 'openid profile', consentId: 'c.1' });
  });

  it('answers a denied consent with access_denied', () => {
    const d = decideContinue({ request: request(), session: session(), consent: null, consentDenied: true, now: NOW });
    expect(d.kind === 'redirect-error' && d.error.error).toBe('access_denied');
  });

  it('shows an error page for an unknown, used or expired request', () => {
    expect(decideContinue({ request: null, session: session(), consent: null, now: NOW }).kind).toBe('error-page');
    const used = request({ completed: true });
    expect(decideContinue({ request: used, session: session(), consent: consent(), now: NOW }).kind).toBe('error-page');
    const late = new Date('2026-11-29T10:10:00.000Z');
    expect(decideContinue({ request: request(), session: session(), consent: consent(), now: late }).kind).toBe(
      'error-page',
    );
  });
});
