import { accessTokenStream, refreshFamilyStream, TokenEvents } from '@tessera/contracts';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from '@tessera/oauth';
import { AtomicMemoryLog, fakeSigning, memoryIssuer, memoryScopes } from '../../test/exchange-doubles';
import type { RegisteredClient } from '../clients/registered-client';
import { TokenExchangeGrant } from '../grants/token-exchange.grant';
import { parseFormParams } from '../grants/token-params';
import { revocationMessage } from '../revocation/revocation-message';
import { tokenHandle } from '../tokens/opaque-token';
import { LineageRevoker } from './lineage-revoker.service';
import { PresentedTokenLoader } from './presented-token.loader';

const ISSUER = 'https://issuer.example';
const now = new Date('2030-01-01T00:00:00Z');
const meta = { now, actor: 'client:app' };
const client = (clientId: string, audience: string): RegisteredClient =>
  ({
    clientId,
    grantTypes: [TOKEN_EXCHANGE_GRANT_TYPE],
    tokenExchangePolicy: { [audience]: ['read'] },
  }) as unknown as RegisteredClient;

function setup() {
  const log = new AtomicMemoryLog();
  const signing = fakeSigning();
  const issuer = memoryIssuer(log, signing.signer, {}, ISSUER);
  const grant = new TokenExchangeGrant(
    new PresentedTokenLoader(log, signing.check),
    issuer,
    log,
    { issuer: ISSUER },
    memoryScopes(),
  );
  const exchange = async (by: RegisteredClient, subject: string, audience: string) =>
    (
      await grant.handle(
        parseFormParams({ subject_token: subject, subject_token_type: ACCESS_TOKEN_TYPE, audience }),
        by,
        { now, actor: `client:${by.clientId}` },
      )
    ).access_token;
  const issue = (refreshToken = false) =>
    issuer.issue({
      clientId: 'app',
      format: 'reference',
      sub: 'alice',
      scopes: ['read'],
      audience: ['https://a.example'],
      refreshToken,
      meta,
    });
  /** A → B (audience b) → C (audience c), plus a sibling exchanged from A by B for audience b. */
  const chain = async (root: string) => {
    const b = await exchange(client('svc-b', 'https://b.example'), root, 'https://b.example');
    const c = await exchange(client('svc-c', 'https://c.example'), b, 'https://c.example');
    const sibling = await exchange(client('svc-b', 'https://b.example'), root, 'https://b.example');
    return [b, c, sibling].map(tokenHandle);
  };
  const revokedOwn = (handle: string) =>
    log.events.filter((e) => e.streamId === accessTokenStream(handle) && e.type === TokenEvents.accessTokenRevoked);
  return { log, issue, chain, revokedOwn, lineage: new LineageRevoker(log) };
}

describe('lineage revocation (RFC 8693, DESIGN §5)', () => {
  it('revoking a token revokes every token exchanged from it, transitively, as one published revocation', async () => {
    const t = setup();
    const root = (await t.issue()).access_token;
    const descendants = await t.chain(root);
    await t.lineage.revokeAccessToken(tokenHandle(root), 'app', meta);

    const rootRevocation = t.revokedOwn(tokenHandle(root));
    expect(rootRevocation).toHaveLength(1);
    expect(rootRevocation[0].data).toMatchObject({ reason: 'revoked_by_client' });
    expect([...(rootRevocation[0].data.descendantHandles as string[])].sort()).toEqual([...descendants].sort());
    for (const handle of descendants) {
      expect(t.revokedOwn(handle).map((e) => e.data.reason)).toEqual(['ancestor_revoked']);
    }
    // One message on iam.revocations, listing the whole cascade.
    const messages = t.log.events.map(revocationMessage).filter((m) => m !== null);
    expect(messages).toHaveLength(1);
    expect([...(messages[0]!.value.data as { handles: string[] }).handles].sort()).toEqual(
      [tokenHandle(root), ...descendants].sort(),
    );
  });

  it('revoking a middle token revokes only its own descendants; another client’s token is left alone', async () => {
    const t = setup();
    const root = (await t.issue()).access_token;
    const [b, c, sibling] = await t.chain(root);
    await t.lineage.revokeAccessToken(b, 'app', meta); // not app's token: RFC 7009 §2.1, nothing happens
    expect(t.revokedOwn(b)).toHaveLength(0);
    await t.lineage.revokeAccessToken(b, 'svc-b', meta);
    expect(t.revokedOwn(b)[0].data.descendantHandles).toEqual([c]);
    expect(t.revokedOwn(c)).toHaveLength(1);
    expect(t.revokedOwn(sibling)).toHaveLength(0);
    expect(t.revokedOwn(tokenHandle(root))).toHaveLength(0);
  });

  it('revoking a refresh family cascades to tokens exchanged from its access tokens', async () => {
    const t = setup();
    const issued = await t.issue(true);
    const descendants = await t.chain(issued.access_token);
    const [started] = await t.log.readStream(accessTokenStream(tokenHandle(issued.access_token)));
    const familyId = String(started.data.familyId);
    await t.lineage.revokeFamily(familyId, 'app', meta);
    const [revoked] = (await t.log.readStream(refreshFamilyStream(familyId))).filter(
      (e) => e.type === TokenEvents.refreshFamilyRevoked,
    );
    expect([...(revoked.data.descendantHandles as string[])].sort()).toEqual([...descendants].sort());
    for (const handle of descendants) expect(t.revokedOwn(handle)).toHaveLength(1);
    // The family's own token is written (not only guarded): an exchange from it racing this append loses.
    expect(t.revokedOwn(tokenHandle(issued.access_token)).map((e) => e.data.reason)).toEqual(['family_revoked']);
    const messages = t.log.events.map(revocationMessage).filter((m) => m !== null);
    expect(messages).toHaveLength(1);
    expect((messages[0]!.value.data as { handles: string[] }).handles).toEqual(expect.arrayContaining(descendants));
  });

  it('finds a token exchanged between its reads and its append (the append fails, the retry sees it)', async () => {
    const t = setup();
    const root = (await t.issue()).access_token;
    const [b] = await t.chain(root);
    let late = '';
    t.log.beforeAppend = async () => {
      late = tokenHandle(
        (
          await new TokenExchangeGrant(
            new PresentedTokenLoader(t.log, { verify: async () => true }),
            memoryIssuer(t.log, fakeSigning().signer, {}, ISSUER),
            t.log,
            { issuer: ISSUER },
            memoryScopes(),
          ).handle(
            parseFormParams({
              subject_token: root,
              subject_token_type: ACCESS_TOKEN_TYPE,
              audience: 'https://b.example',
            }),
            client('svc-b', 'https://b.example'),
            meta,
          )
        ).access_token,
      );
    };
    await t.lineage.revokeAccessToken(tokenHandle(root), 'app', meta);
    expect(t.revokedOwn(tokenHandle(root))[0].data.descendantHandles).toEqual(expect.arrayContaining([b, late]));
    expect(t.revokedOwn(late)).toHaveLength(1);
  });
});
