import { InvalidClientError, InvalidRequestError } from './errors';
import { parseBasicAuthorization, presentedClientCredentials } from './client-credentials';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('client credentials (RFC 6749 §2.3)', () => {
  it('form-urlencoded-decodes id and secret from Basic (§2.3.1)', () => {
    expect(parseBasicAuthorization(basic('my%3Aclient', 'p%40ss+word'))).toEqual({
      clientId: 'my:client',
      clientSecret: 'p@ss word',
    });
    expect(parseBasicAuthorization('bAsIc ' + Buffer.from('a:b').toString('base64'))).toEqual({
      clientId: 'a',
      clientSecret: 'b',
    });
  });

  it('ignores non-Basic schemes and rejects malformed Basic with a Basic challenge', () => {
    expect(parseBasicAuthorization('Bearer abc')).toBeNull();
    expect(parseBasicAuthorization(undefined)).toBeNull();
    for (const bad of ['Basic', 'Basic !!!', `Basic ${Buffer.from('nocolon').toString('base64')}`, basic('%zz', 's')]) {
      const attempt = () => parseBasicAuthorization(bad);
      expect(attempt).toThrow(InvalidClientError);
      try {
        attempt();
      } catch (e) {
        expect((e as InvalidClientError).basicChallenge).toBe(true);
      }
    }
  });

  it('tells the three methods apart', () => {
    expect(presentedClientCredentials({ authorization: basic('c', 's') }, {})).toEqual({
      method: 'client_secret_basic',
      clientId: 'c',
      clientSecret: 's',
    });
    expect(presentedClientCredentials({}, { client_id: 'c', client_secret: 's' })).toEqual({
      method: 'client_secret_post',
      clientId: 'c',
      clientSecret: 's',
    });
    expect(presentedClientCredentials({}, { client_id: 'c' })).toEqual({ method: 'none', clientId: 'c' });
    expect(presentedClientCredentials({ authorization: basic('c', 's') }, { client_id: 'c' }).method).toBe(
      'client_secret_basic',
    );
  });

  it('rejects two methods, repeated parameters and mismatched ids with invalid_request', () => {
    expect(() => presentedClientCredentials({ authorization: basic('c', 's') }, { client_secret: 's' })).toThrow(
      InvalidRequestError,
    );
    expect(() => presentedClientCredentials({ authorization: basic('c', 's') }, { client_id: 'other' })).toThrow(
      InvalidRequestError,
    );
    expect(() => presentedClientCredentials({}, { client_id: ['a', 'b'], client_secret: 's' })).toThrow(
      InvalidRequestError,
    );
    expect(() => presentedClientCredentials({}, { client_id: 'c', client_secret: ['s', 't'] })).toThrow(
      InvalidRequestError,
    );
    expect(() => presentedClientCredentials({ authorization: [basic('c', 's'), basic('d', 't')] }, {})).toThrow(
      InvalidRequestError,
    );
  });

  it('without credentials: invalid_client inviting Basic', () => {
    expect(() => presentedClientCredentials({}, {})).toThrow(InvalidClientError);
    expect(() => presentedClientCredentials({}, undefined)).toThrow(InvalidClientError);
  });
});
