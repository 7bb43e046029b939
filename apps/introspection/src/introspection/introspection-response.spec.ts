import type { ActiveToken } from './active-token';
import { type IntrospectionCaller, introspectionResponse, isMeantFor } from './introspection-response';

const ISSUER = 'https://issuer.example';
const ORDERS = 'https://orders.example/api';
const token: ActiveToken = {
  handle: 'h1',
  clientId: 'client-a',
  sub: 'user-1',
  scope: 'orders_read',
  aud: [ORDERS],
  format: 'reference',
  jti: 'jti-1',
  iat: 100,
  exp: 1000,
  claims: { account_nr: '42' },
};
const caller = (clientId: string, resourceIdentifiers: string[] = []): IntrospectionCaller => ({
  clientId,
  resourceIdentifiers,
});
const ordersRs = caller('rs-orders-client', ['https://other.example', ORDERS]);

describe('introspectionResponse (RFC 7662 §2.2)', () => {
  it('answers every member to a resource server that serves a resource in aud, with the released claims', () => {
    expect(introspectionResponse(token, ordersRs, ISSUER)).toEqual({
      active: true,
      scope: 'orders_read',
      client_id: 'client-a',
      sub: 'user-1',
      aud: ORDERS,
      iss: ISSUER,
      exp: 1000,
      iat: 100,
      jti: 'jti-1',
      token_type: 'Bearer',
      account_nr: '42',
    });
  });

  it('answers the client the token was issued to, whatever resources it serves', () => {
    expect(introspectionResponse(token, caller('client-a'), ISSUER).active).toBe(true);
  });

  it('answers exactly {active:false} to a caller the token is not meant for', () => {
    const billing = caller('rs-billing', ['https://billing.example/api']);
    expect(isMeantFor(token, billing)).toBe(false);
    expect(introspectionResponse(token, billing, ISSUER)).toStrictEqual({ active: false });
  });

  it('never matches a caller whose client id equals an aud value (audiences are resources, not client ids)', () => {
    expect(isMeantFor({ ...token, aud: ['rs-orders-client'] }, caller('rs-orders-client'))).toBe(false);
    expect(isMeantFor(token, caller(ORDERS))).toBe(false);
  });

  it('matches resources exactly: no prefix, no trailing-slash variant', () => {
    expect(isMeantFor(token, caller('rs', [`${ORDERS}/`]))).toBe(false);
    expect(isMeantFor(token, caller('rs', ['https://orders.example']))).toBe(false);
  });

  it('answers exactly {active:false} for an inactive token', () => {
    expect(introspectionResponse(null, ordersRs, ISSUER)).toStrictEqual({ active: false });
    expect(introspectionResponse(null, caller('client-a'), ISSUER)).toStrictEqual({ active: false });
  });

  it('keeps aud a list when the token names several, and adds act when delegated', () => {
    const rsB = caller('rs-b-client', ['https://b.example']);
    const answer = introspectionResponse(
      { ...token, aud: [ORDERS, 'https://b.example'], act: { sub: 'svc' } },
      rsB,
      ISSUER,
    );
    expect(answer).toMatchObject({ active: true, aud: [ORDERS, 'https://b.example'], act: { sub: 'svc' } });
  });

  it('never lets a released claim overwrite a standard member', () => {
    const answer = introspectionResponse(
      { ...token, claims: { active: false, sub: 'evil', iss: 'x' } },
      caller('client-a'),
      ISSUER,
    );
    expect(answer).toMatchObject({ active: true, sub: 'user-1', iss: ISSUER });
  });
});
