import { KeyEncryptionKey } from '@tessera/keys';
import { randomBytes } from 'node:crypto';
import { codeResponseUrl, errorResponseUrl } from '../authorize/authorization-response';
import { LoginRequiredError } from '../authorize/authorize.errors';
import { cookiesNeedSecure, readCookie, serializeCookie } from '../sessions/cookies';
import { csrfTokenFor, csrfValid } from './csrf';
import { afterLogin, safeNext } from './form-fields';
import { contentSecurityPolicy, escapeHtml } from './html-page';
import { PendingLoginSealer } from './pending-login';

describe('cookies', () => {
  it('are HttpOnly, SameSite=Lax, Path=/, Secure except for plain-http loopback issuers', () => {
    expect(serializeCookie('a', 'b', { secure: true })).toBe('a=b; Path=/; HttpOnly; SameSite=Lax; Secure');
    expect(serializeCookie('a', '', { secure: false, maxAge: 0 })).toBe(
      'a=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0',
    );
    expect(cookiesNeedSecure('https://id.example')).toBe(true);
    expect(cookiesNeedSecure('http://localhost:4000')).toBe(false);
    expect(cookiesNeedSecure('http://127.0.0.1:4000')).toBe(false);
    expect(cookiesNeedSecure('http://localhost.evil.example')).toBe(true);
    expect(cookiesNeedSecure('http://id.example')).toBe(true);
  });

  it('reads one cookie from the header', () => {
    expect(readCookie('x=1; tessera_session=tsr_ses_a; y=2', 'tessera_session')).toBe('tsr_ses_a');
    expect(readCookie(undefined, 'x')).toBeUndefined();
  });
});

describe('CSRF double submit', () => {
  it('gives a token once and checks the form field against the cookie', () => {
    const first = csrfTokenFor(undefined, true);
    expect(first.setCookie).toMatch(/^tessera_csrf=[A-Za-z0-9_-]{22}; .*SameSite=Strict; Secure$/);
    const header = `tessera_csrf=${first.token}`;
    expect(csrfTokenFor(header, true)).toEqual({ token: first.token });
    expect(csrfValid(header, first.token)).toBe(true);
    expect(csrfValid(header, 'x'.repeat(22))).toBe(false);
    expect(csrfValid(undefined, first.token)).toBe(false);
    expect(csrfValid(header, undefined)).toBe(false);
  });
});

describe('redirect targets', () => {
  it('keeps `next` to same-origin paths', () => {
    expect(safeNext('/account/mfa')).toBe('/account/mfa');
    expect(safeNext('/consents?x=1')).toBe('/consents?x=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'account', '/a b']) {
      expect(safeNext(bad)).toBeUndefined();
    }
    expect(afterLogin('abc', '/x')).toBe('/oauth/authorize/continue?request=abc');
    expect(afterLogin(undefined, '//evil')).toBe('/account/mfa');
  });

  it('appends code, state and iss to the registered URI, keeping its query (RFC 6749 §3.1.2, RFC 9207)', () => {
    expect(codeResponseUrl('https://a.example/cb?t=1', 'tsr_ac_x', 'st', 'https://id.example')).toBe(
      'https://a.example/cb?t=1&code=tsr_ac_x&state=st&iss=https%3A%2F%2Fid.example',
    );
    expect(
      errorResponseUrl('https://a.example/cb', new LoginRequiredError('sign in'), undefined, 'https://id.example'),
    ).toBe('https://a.example/cb?error=login_required&error_description=sign+in&iss=https%3A%2F%2Fid.example');
  });
});

describe('pages', () => {
  it('escape interpolated text and send the brief 5 CSP', () => {
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    expect(contentSecurityPolicy(['https://app.example/cb?x=1', 'not a url'])).toBe(
      "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self' https://app.example; frame-ancestors 'none'; base-uri 'none'",
    );
  });
});

describe('PendingLoginSealer', () => {
  const sealer = new PendingLoginSealer(new KeyEncryptionKey(randomBytes(32)));
  const now = new Date('2026-11-29T10:00:00.000Z');
  const login = { sub: 'u', account: 'alice', pwdAt: now.getTime(), request: 'r', exp: now.getTime() + 300_000 };

  it('round-trips, and refuses expired, tampered or foreign values', () => {
    const value = sealer.seal(login);
    expect(value).not.toContain('alice');
    expect(sealer.open(value, now)).toEqual(login);
    expect(sealer.open(value, new Date(login.exp))).toBeNull();
    const [iv, ct, tag] = value.split('.');
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] ^= 1;
    expect(sealer.open([iv, flipped.toString('base64url'), tag].join('.'), now)).toBeNull();
    const other = new PendingLoginSealer(new KeyEncryptionKey(randomBytes(32)));
    expect(other.open(value, now)).toBeNull();
    expect(sealer.open('garbage', now)).toBeNull();
  });
});
