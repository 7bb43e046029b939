import { UnauthorizedException } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { TesseraConfig } from '../config';
import { Secret } from '../config/secret';
import { AdminTokenGuard, bearerToken, tokensEqual } from './admin-token.guard';

const guard = new AdminTokenGuard({
  mode: 'standalone',
  adminToken: new Secret('tsa_right'),
} as unknown as TesseraConfig);

function run(authorization?: string) {
  const headers: Record<string, string> = {};
  const context = {
    switchToHttp: () => ({
      getRequest: () => ({ headers: authorization === undefined ? {} : { authorization } }),
      getResponse: () => ({ header: (k: string, v: string) => (headers[k] = v) }),
    }),
  } as unknown as ExecutionContext;
  try {
    return { ok: guard.canActivate(context), headers };
  } catch (err) {
    expect(err).toBeInstanceOf(UnauthorizedException);
    return { ok: false, headers, body: (err as UnauthorizedException).getResponse() };
  }
}

describe('AdminTokenGuard', () => {
  it('lets the admin token through', () => {
    expect(run('Bearer tsa_right').ok).toBe(true);
    expect(run('bearer tsa_right').ok).toBe(true);
  });

  it('answers 401 invalid_token with WWW-Authenticate: Bearer otherwise', () => {
    for (const header of [undefined, 'Bearer tsa_wrong', 'Bearer tsa_righ', 'Basic tsa_right', 'Bearer ']) {
      const r = run(header);
      expect(r.ok).toBe(false);
      expect(r.body).toMatchObject({ error: 'invalid_token' });
      expect(r.headers['WWW-Authenticate']).toMatch(/^Bearer realm="tessera"/);
    }
    expect(run('Bearer x').headers['WWW-Authenticate']).toContain('error="invalid_token"');
  });

  it('parses bearer tokens and compares in constant time over digests', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken(['Bearer a', 'Bearer b'])).toBeUndefined();
    expect(tokensEqual('a', 'a')).toBe(true);
    expect(tokensEqual('a', 'ab')).toBe(false);
  });
});
