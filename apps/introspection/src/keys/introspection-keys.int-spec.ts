import { randomBytes } from 'node:crypto';
import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Database, EventStore } from '@tessera/event-store';
import { KeyEncryptionKey, SigningKeys, type SigningKeySettings } from '@tessera/keys';
import {
  createHttpAdapter,
  DATABASE,
  EVENT_STORE,
  loadConfig,
  PlatformContextModule,
  PROJECTION_RUNNER,
  type TesseraConfig,
} from '@tessera/platform';
import type { ProjectionRunner } from '@tessera/projections';
import { createMetricsRegistry, noopLogger } from '@tessera/telemetry';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { StandaloneModule } from '../../../standalone/src/standalone.module';
import { createPlatformFixture, type PlatformFixture } from '../../../../test/support/platform-fixture';
import { SIGNING_KEY_SETTINGS } from '../../../token/src/keys/signing-key.settings';
import { TokenSigner } from '../../../token/src/keys/token-signer';
import { tokenMigrations } from '../../../token/src/migrations';
import { TokenAppModule } from '../../../token/src/token.app-module';
import { IntrospectionAppModule } from '../introspection.app-module';
import { introspectionMigrations } from '../migrations';
import { INTROSPECTION_KEY_SETTINGS } from './introspection-keys.tokens';
import { JWT_SIGNER, type JwtSigner } from './jwt-signer';

jest.setTimeout(120_000);

// DESIGN §5: the introspection service signs with keys of its own, sealed in its
// own schema; the token service's /jwks publishes them (learned from key events),
// so an API verifies a phantom JWT with the same JWKS as a token service JWT.
// Distributed: the two services as two apps on one database; standalone: the
// standalone module, both services in one process.

const ISSUER = 'https://issuer.example';
const DAY_MS = 24 * 3600 * 1000;

/** One Tessera app on Fastify inject, booted as bootstrapService does (without listening). */
async function boot(root: Type<unknown>, config: TesseraConfig): Promise<NestFastifyApplication> {
  if (config.mode === 'cli') throw new Error('a serving config is needed');
  @Module({
    imports: [
      PlatformContextModule.forRoot({ config, logger: noopLogger, metrics: createMetricsRegistry(config.kind) }),
      root,
    ],
  })
  class TestRoot {}
  const app = await NestFactory.create<NestFastifyApplication>(TestRoot, createHttpAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

interface Pair {
  /** Serves /jwks, holds the TokenSigner. */
  token: NestFastifyApplication;
  /** Holds JWT_SIGNER (the same app as `token` in standalone). */
  introspection: NestFastifyApplication;
  /** The KEK of each service. */
  keks: { token: Buffer; introspection: Buffer };
  close(): Promise<void>;
}

async function startPair(mode: 'distributed' | 'standalone'): Promise<Pair> {
  const admin = () => `tsa_${randomBytes(32).toString('base64url')}`;
  if (mode === 'standalone') {
    const kek = randomBytes(32);
    const config = loadConfig('standalone', {
      TESSERA_DATA_DIR: 'memory',
      TESSERA_KEK: kek.toString('base64'),
      TESSERA_ADMIN_TOKEN: admin(),
      TESSERA_ISSUER: ISSUER,
    });
    const app = await boot(StandaloneModule, config);
    return { token: app, introspection: app, keks: { token: kek, introspection: kek }, close: () => app.close() };
  }
  const fixture: PlatformFixture = await createPlatformFixture('int_keys', [
    ...tokenMigrations,
    ...introspectionMigrations,
  ]);
  // Each service has its own KEK: neither could open the other's private keys.
  const keks = { token: randomBytes(32), introspection: randomBytes(32) };
  const env = (kek: Buffer) =>
    fixture.env({ TESSERA_KEK: kek.toString('base64'), TESSERA_ADMIN_TOKEN: admin(), TESSERA_ISSUER: ISSUER });
  const apps: NestFastifyApplication[] = [];
  const close = async () => {
    for (const app of apps) await app.close();
    await fixture.drop();
  };
  try {
    apps.push(await boot(TokenAppModule, loadConfig('token', env(keks.token))));
    apps.push(await boot(IntrospectionAppModule, loadConfig('introspection', env(keks.introspection))));
  } catch (err) {
    await close();
    throw err;
  }
  return { token: apps[0], introspection: apps[1], keks, close };
}

describe.each(['distributed', 'standalone'] as const)('the introspection service signing keys (%s)', (mode) => {
  let pair: Pair;
  let db: Database;

  /** /jwks of the token service, once its read model has folded every key event so far. */
  const jwks = async (): Promise<JSONWebKeySet> => {
    await pair.token.get<ProjectionRunner>(PROJECTION_RUNNER).catchUp();
    const res = await pair.token.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/jwks' });
    expect(res.statusCode).toBe(200);
    // Standalone also holds the audit service, which signs checkpoints with a key of its own (issue 7): left out here.
    const audit = await db.query<{ kid: string }>(
      `SELECT data->>'kid' AS kid FROM eventlog.events WHERE type = 'signing-key.created' AND data->>'owner' = 'audit'`,
    );
    const set = res.json<JSONWebKeySet>();
    return { keys: set.keys.filter((k) => !audit.some((a) => a.kid === k.kid)) };
  };
  const kidsInJwks = async () => (await jwks()).keys.map((k) => k.kid);
  const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;
  const claims = () => ({
    iss: ISSUER,
    sub: 'svc',
    aud: 'https://api.example',
    exp: Math.floor(Date.now() / 1000) + 60,
  });

  /** Another instance of a service's SigningKeys on the same database: its own clock and settings, no cache. */
  const keysOf = (owner: 'token' | 'introspection', now: Date, overrides: Partial<SigningKeySettings> = {}) => {
    const app = owner === 'token' ? pair.token : pair.introspection;
    const settings = app.get<SigningKeySettings>(owner === 'token' ? SIGNING_KEY_SETTINGS : INTROSPECTION_KEY_SETTINGS);
    const runner = app.get<ProjectionRunner>(PROJECTION_RUNNER);
    return new SigningKeys({
      owner,
      schema: owner,
      db: app.get<Database>(DATABASE),
      store: app.get<EventStore>(EVENT_STORE),
      kek: new KeyEncryptionKey(pair.keks[owner]),
      settings: { ...settings, ...overrides },
      catchUp: () => runner.catchUp(),
      now: () => now,
    });
  };

  beforeAll(async () => {
    pair = await startPair(mode);
    db = pair.token.get<Database>(DATABASE);
  });
  afterAll(async () => {
    await pair?.close();
  });

  it('signs a JWT with its own key that verifies against the token service /jwks', async () => {
    const signer = pair.introspection.get<JwtSigner>(JWT_SIGNER);
    const phantom = await signer.sign(claims(), { typ: 'at+jwt' });
    const tokenJwt = await pair.token.get(TokenSigner).sign(claims(), { typ: 'at+jwt' });
    expect(kidOf(phantom)).toBeDefined();
    expect(kidOf(phantom)).not.toBe(kidOf(tokenJwt));

    const set = await jwks();
    expect(set.keys.map((k) => k.kid).sort()).toEqual([kidOf(phantom), kidOf(tokenJwt)].sort());
    for (const k of set.keys) expect(k).not.toHaveProperty('d');
    const local = createLocalJWKSet(set);
    const { payload, protectedHeader } = await jwtVerify(phantom, local, { issuer: ISSUER, typ: 'at+jwt' });
    expect(payload.sub).toBe('svc');
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: kidOf(phantom), typ: 'at+jwt' });
    await expect(jwtVerify(tokenJwt, local, { issuer: ISSUER })).resolves.toBeTruthy();
    expect(decodeProtectedHeader(await signer.sign(claims(), { typ: 'token-introspection+jwt' })).typ).toBe(
      'token-introspection+jwt',
    );
  });

  it('keeps each private half in its owner’s schema, and records the owner on the key event', async () => {
    const phantomKid = kidOf(await pair.introspection.get<JwtSigner>(JWT_SIGNER).sign(claims(), { typ: 'at+jwt' }));
    const tokenKid = kidOf(await pair.token.get(TokenSigner).sign(claims(), { typ: 'at+jwt' }));
    const kids = async (table: string) =>
      (await db.query<{ kid: string }>(`SELECT kid FROM ${table}`)).map((r) => r.kid);
    expect(await kids('introspection.signing_keys')).toEqual([phantomKid]);
    expect(await kids('token.signing_keys')).toEqual([tokenKid]);
    const created = await db.query<{ data: { kid: string; owner: string } }>(
      `SELECT data FROM eventlog.events WHERE type = 'signing-key.created' ORDER BY position`,
    );
    const owned = created.filter((e) => e.data.owner !== 'audit');
    expect(Object.fromEntries(owned.map((e) => [e.data.kid, e.data.owner]))).toEqual({
      [phantomKid!]: 'introspection',
      [tokenKid!]: 'token',
    });
    // Both read models fold every owner's keys.
    const owners = async (schema: string) =>
      (await db.query<{ state: { owner: string } }>(`SELECT state FROM ${schema}.signing_keys_public`))
        .map((r) => r.state.owner)
        .filter((owner) => owner !== 'audit')
        .sort();
    expect(await owners('token')).toEqual(['introspection', 'token']);
    await pair.introspection.get<ProjectionRunner>(PROJECTION_RUNNER).catchUp();
    expect(await owners('introspection')).toEqual(['introspection', 'token']);
  });

  it('rotates, activates and retires only its own keys; the token service never touches them', async () => {
    const tokenKid = (await keysOf('token', new Date()).current()).kid;
    const firstPhantomKid = (await keysOf('introspection', new Date()).current()).kid;

    // The introspection service rotates (propagation delay 0 here): its next key signs, the token's does not change.
    const t0 = new Date();
    const rotation = await keysOf('introspection', t0, { publishDelayMs: 0 }).rotate();
    expect(rotation.activated).toBe(true);
    expect((await keysOf('introspection', t0).current()).kid).toBe(rotation.kid);
    expect((await keysOf('token', t0).current()).kid).toBe(tokenKid);
    expect((await kidsInJwks()).sort()).toEqual([tokenKid, firstPhantomKid, rotation.kid].sort());
    const phantom = await pair.introspection.get<JwtSigner>(JWT_SIGNER).sign(claims(), { typ: 'at+jwt' });
    // The live signer caches its key for a few seconds; either of its keys verifies.
    await expect(jwtVerify(phantom, createLocalJWKSet(await jwks()))).resolves.toBeTruthy();

    // Two days on, the token service's schedule retires nothing of the introspection service's…
    const later = new Date(t0.getTime() + 2 * DAY_MS);
    await keysOf('token', later).tick();
    expect(await kidsInJwks()).toEqual(expect.arrayContaining([tokenKid, firstPhantomKid, rotation.kid]));
    // …the introspection service's own schedule retires its superseded key, and only that one.
    await keysOf('introspection', later).tick();
    expect((await kidsInJwks()).sort()).toEqual([tokenKid, rotation.kid].sort());
    expect((await keysOf('token', later).current()).kid).toBe(tokenKid);
  });
});
