import type { RegisteredClient } from '../clients/registered-client';
import { resolveAudience, resolveCodeAudience } from './audience-policy';

const ISSUER = 'https://tessera.example';
const A = 'https://orders.example';
const B = 'https://billing.example';
const client = (policy: Record<string, string[]>) => ({ tokenExchangePolicy: policy }) as unknown as RegisteredClient;

describe('audience policy (RFC 8707)', () => {
  it('client credentials: one resource the registration names, or the issuer; the only API by default', () => {
    expect(resolveAudience(client({ [A]: ['read'] }), [], ISSUER)).toBe(A);
    expect(resolveAudience(client({ [A]: ['read'], [B]: ['read'] }), [], ISSUER)).toBe(ISSUER);
    expect(resolveAudience(client({ [A]: ['read'] }), [ISSUER], ISSUER)).toBe(ISSUER);
    expect(() => resolveAudience(client({ [A]: ['read'] }), [B], ISSUER)).toThrow('may not obtain');
  });

  describe('authorization code (RFC 8707 §2.2: bound to the authorization request)', () => {
    const both = client({ [A]: ['read'], [B]: ['read'] });

    it('takes a requested resource only when the authorization named it', () => {
      expect(resolveCodeAudience(both, [A, B], [B], ISSUER)).toBe(B);
      for (const [authorized, requested] of [
        [[A], [B]],
        [[A], [ISSUER]],
        [undefined, [A]],
        [
          [A, B],
          [A, B],
        ],
      ] as const) {
        expect(() => resolveCodeAudience(both, authorized, requested, ISSUER)).toThrow(
          expect.objectContaining({ error: 'invalid_target' }),
        );
      }
    });

    it('without a requested resource: the one authorized, or the default when none; several is ambiguous', () => {
      expect(resolveCodeAudience(both, [A], [], ISSUER)).toBe(A);
      expect(resolveCodeAudience(both, undefined, [], ISSUER)).toBe(ISSUER);
      expect(resolveCodeAudience(client({ [A]: ['read'] }), undefined, [], ISSUER)).toBe(A);
      expect(() => resolveCodeAudience(both, [A, B], [], ISSUER)).toThrow(
        expect.objectContaining({ error: 'invalid_target' }),
      );
    });

    it('still applies the client policy to an authorized resource', () => {
      expect(() => resolveCodeAudience(client({ [A]: ['read'] }), [B], [B], ISSUER)).toThrow(
        expect.objectContaining({ error: 'invalid_target' }),
      );
    });
  });
});
