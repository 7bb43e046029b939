import { ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from '@tessera/oauth';
import { uniqueSuffix } from '../../../../test/support/infra';
import {
  type IntrospectionTestApp,
  startIntrospectionTestApp,
} from '../../../introspection/test/introspection-test-app';
import { basic, type TestClient } from '../../../../test/support/oauth-helpers';

jest.setTimeout(120_000);

// Issue 6 §1 with the introspection service on the same log (issue 4): an
// exchanged token introspects with its act chain, and revoking the token it
// was exchanged from two hops up makes it inactive.

type Client = TestClient;

async function eventually(probe: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(['distributed', 'standalone'] as const)('token exchange and introspection (%s)', (mode) => {
  let t: IntrospectionTestApp;

  async function register(metadata: Record<string, unknown>): Promise<Client> {
    const res = await t.token.json('POST', '/oauth/register', metadata, { authorization: `Bearer ${t.adminToken}` });
    expect(res.status).toBe(201);
    return { id: String(res.json().client_id), secret: String(res.json().client_secret) };
  }

  beforeAll(async () => {
    t = await startIntrospectionTestApp(mode);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('introspects the token two exchanges down with its act chain, inactive once the root is revoked', async () => {
    const audC = `https://c-${uniqueSuffix()}.example`;
    const audD = `https://d-${uniqueSuffix()}.example`;
    const a = await register({ grant_types: ['client_credentials'], scope: 'ledger' });
    const b = await register({ grant_types: [TOKEN_EXCHANGE_GRANT_TYPE], token_exchange_policy: { [audC]: 'ledger' } });
    const c = await register({ grant_types: [TOKEN_EXCHANGE_GRANT_TYPE], token_exchange_policy: { [audD]: 'ledger' } });
    const d = await register({ grant_types: ['client_credentials'], resource_identifiers: [audD] });
    const post = async (who: Client, form: Record<string, string>) => {
      const res = await t.token.form('/oauth/token', form, basic(who));
      expect(res.status).toBe(200);
      return String(res.json().access_token);
    };
    const root = await post(a, { grant_type: 'client_credentials' });
    const first = await post(b, {
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      subject_token: root,
      subject_token_type: ACCESS_TOKEN_TYPE,
      audience: audC,
    });
    const second = await post(c, {
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      subject_token: first,
      subject_token_type: JWT_TOKEN_TYPE,
      audience: audD,
    });
    const introspect = async () =>
      (await t.introspection.form('/oauth/introspect', { token: second }, basic(d))).json<Record<string, unknown>>();
    expect(await introspect()).toMatchObject({
      active: true,
      sub: a.id,
      client_id: c.id,
      aud: audD,
      scope: 'ledger',
      act: { sub: c.id, act: { sub: b.id } },
    });

    expect((await t.token.form('/oauth/revoke', { token: root }, basic(a))).status).toBe(200);
    await eventually(async () => (await introspect()).active === false, 10_000, 'the descendant to turn inactive');
    expect(await introspect()).toEqual({ active: false });
  });
});
