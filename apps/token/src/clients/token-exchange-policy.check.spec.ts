import type { ClientMetadata } from '@tessera/contracts';
import { InvalidClientMetadataError } from '@tessera/oauth';
import { TOKEN_EXCHANGE_GRANT, validateClientMetadata } from './client-metadata.validator';
import { checkTokenExchangePolicy } from './token-exchange-policy.check';

const withPolicy = (token_exchange_policy?: Record<string, string>): ClientMetadata =>
  validateClientMetadata({
    grant_types: ['client_credentials', TOKEN_EXCHANGE_GRANT],
    ...(token_exchange_policy ? { token_exchange_policy } : {}),
  });

describe('checkTokenExchangePolicy', () => {
  const before = withPolicy({ 'https://billing.example': 'billing_read billing_write', 'https://c.example': 'x' });

  it('lets a registration set any policy', () => {
    expect(() => checkTokenExchangePolicy(withPolicy({ 'https://any.example': 'a b c' }))).not.toThrow();
  });

  it('lets an RFC 7592 update keep or narrow the policy', () => {
    expect(() => checkTokenExchangePolicy(before, before)).not.toThrow();
    expect(() =>
      checkTokenExchangePolicy(withPolicy({ 'https://billing.example': 'billing_read' }), before),
    ).not.toThrow();
    expect(() => checkTokenExchangePolicy(withPolicy(), before)).not.toThrow();
  });

  it('refuses an RFC 7592 update that adds an audience', () => {
    expect(() =>
      checkTokenExchangePolicy(
        withPolicy({ 'https://billing.example': 'billing_read', 'https://new.example': 'x' }),
        before,
      ),
    ).toThrow(InvalidClientMetadataError);
    expect(() => checkTokenExchangePolicy(withPolicy({ 'https://a.example': 'x' }), withPolicy())).toThrow(
      InvalidClientMetadataError,
    );
  });

  it('refuses an RFC 7592 update that adds a scope to an audience', () => {
    expect(() =>
      checkTokenExchangePolicy(withPolicy({ 'https://billing.example': 'billing_read billing_admin' }), before),
    ).toThrow(/billing_admin/);
  });
});
