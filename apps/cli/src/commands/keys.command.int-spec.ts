import { randomBytes } from 'node:crypto';
import { PgDatabase } from '@tessera/event-store';
import { createPlatformFixture, type PlatformFixture } from '../../../../test/support/platform-fixture';
import { introspectionMigrations } from '../../../introspection/src/migrations';
import { tokenMigrations } from '../../../token/src/migrations';
import { createKeysCommand } from './keys.command';

jest.setTimeout(120_000);

// DESIGN §5 through `tessera keys`: each signing service's key goes to its own
// vault and is recorded with its owner; `list` shows every owner's keys.

describe('tessera keys', () => {
  let fixture: PlatformFixture;
  let db: PgDatabase;
  const kek = randomBytes(32).toString('base64');

  beforeAll(async () => {
    fixture = await createPlatformFixture('int_cli_keys', [...tokenMigrations, ...introspectionMigrations]);
    db = new PgDatabase({ connectionString: fixture.database.url, max: 2 });
  });
  afterAll(async () => {
    await db?.close();
    await fixture?.drop();
  });

  async function run(args: string[]) {
    const lines: string[] = [];
    let err = '';
    const env = { DATABASE_URL: fixture.database.url, TESSERA_KEK: kek };
    const code = await createKeysCommand({ env, out: (l) => lines.push(l), err: (t) => (err += t) }).run(args);
    return { code, lines, err };
  }
  const vault = async (schema: string) =>
    (await db.query<{ kid: string }>(`SELECT kid FROM ${schema}.signing_keys`)).map((r) => r.kid);
  const kidIn = (lines: string[]) => /created and published signing key (\S+)/.exec(lines[0])?.[1];

  it('rotates the token service by default, the introspection service with --service, each into its own vault', async () => {
    const token = await run(['rotate']);
    expect(token.code).toBe(0);
    expect(token.lines[0]).toMatch(/of the token service$/);
    const introspection = await run(['rotate', '--service', 'introspection']);
    expect(introspection.code).toBe(0);
    expect(introspection.lines[0]).toMatch(/of the introspection service$/);
    // Distributed propagation delay: published now, the running service activates it later.
    expect(introspection.lines[1]).toMatch(/the introspection service activates it after /);

    expect(await vault('token')).toEqual([kidIn(token.lines)]);
    expect(await vault('introspection')).toEqual([kidIn(introspection.lines)]);

    const list = await run(['list']);
    expect(list.code).toBe(0);
    expect(list.lines).toHaveLength(2);
    expect(list.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${kidIn(token.lines)}  token  ES256  created `)),
        expect.stringMatching(new RegExp(`^${kidIn(introspection.lines)}  introspection  ES256  created `)),
      ]),
    );
    for (const line of [...token.lines, ...introspection.lines, ...list.lines]) expect(line).not.toContain(kek);
  });

  it.each([[['rotate', '--service', 'audit']], [['rotate', '--service']], [['list', '--service', 'token']], [[]]])(
    'refuses %j with the usage',
    async (args) => {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^usage: tessera keys rotate \[--service token\|introspection\]/);
    },
  );
});
