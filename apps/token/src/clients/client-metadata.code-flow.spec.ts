import { InvalidClientMetadataError, InvalidRedirectUriError } from '@tessera/oauth';
import { toRegisteredClient } from '@tessera/clients';
import { validateClientMetadata } from './client-metadata.validator';

// Issue 5: code-flow metadata — post_logout_redirect_uris (OIDC RP-Initiated Logout §3.1) and require_pkce.
const code = { grant_types: ['authorization_code', 'refresh_token'], redirect_uris: ['https://rp.example/cb'] };
const registered = (body: Record<string, unknown>) =>
  toRegisteredClient({ clientId: 'c', issuedAt: 1, deleted: false, metadata: validateClientMetadata(body) });

describe('code-flow client metadata', () => {
  it('needs a redirect URI for authorization_code, and allows refresh_token with it', () => {
    expect(() => validateClientMetadata({ grant_types: ['authorization_code'] })).toThrow(InvalidRedirectUriError);
    expect(validateClientMetadata(code).grant_types).toEqual(['authorization_code', 'refresh_token']);
  });

  it('keeps post_logout_redirect_uris exactly, https or loopback only', () => {
    const uris = ['https://rp.example/bye?x=1', 'http://127.0.0.1:8080/bye'];
    expect(validateClientMetadata({ ...code, post_logout_redirect_uris: uris }).post_logout_redirect_uris).toEqual(
      uris,
    );
    expect(registered({ ...code, post_logout_redirect_uris: uris }).postLogoutRedirectUris).toEqual(uris);
    expect(registered(code).postLogoutRedirectUris).toEqual([]);
    for (const bad of [['http://rp.example/bye'], ['https://rp.example/bye#x'], ['relative'], 'https://x', ['']]) {
      expect(() => validateClientMetadata({ ...code, post_logout_redirect_uris: bad })).toThrow(
        InvalidClientMetadataError,
      );
    }
    expect(() =>
      validateClientMetadata({
        grant_types: ['client_credentials'],
        post_logout_redirect_uris: ['https://rp.example/bye'],
      }),
    ).toThrow(InvalidClientMetadataError);
  });

  it('requires PKCE unless a confidential client waives it; a public client cannot', () => {
    expect(registered(code).requirePkce).toBe(true);
    expect(validateClientMetadata(code)).not.toHaveProperty('require_pkce');
    expect(registered({ ...code, require_pkce: false }).requirePkce).toBe(false);
    expect(() => validateClientMetadata({ ...code, token_endpoint_auth_method: 'none', require_pkce: false })).toThrow(
      InvalidClientMetadataError,
    );
    expect(() => validateClientMetadata({ ...code, require_pkce: 'no' })).toThrow(InvalidClientMetadataError);
  });
});
