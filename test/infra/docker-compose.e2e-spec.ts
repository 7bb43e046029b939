// docker-compose.yml must run what the code defines (issue 2): every service of SERVICES on its
// default port, started from its compiled entry point, reading only the variables of DESIGN §9,
// next to the same Kafka version `npm run infra:up` runs and the same broker settings.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, SERVICE_NAMES, SERVICES } from '../../libs/platform/src/services';

const root = join(__dirname, '..', '..');

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | { target: number; published: number | string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: (string | { source?: string; target?: string })[];
}

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;

/** The containers running Tessera code: the ones built from the root Dockerfile. */
const tesseraServices = Object.entries(services).filter(([, s]) => s.build !== undefined);

function environment(service: ComposeService): Map<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return new Map(env.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
  }
  return new Map(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

function commandLine(service: ComposeService): string {
  const parts = [service.entrypoint ?? [], service.command ?? []].flat();
  return parts.join(' ');
}

function publishedPorts(service: ComposeService): string[] {
  return (service.ports ?? []).map((p) => (typeof p === 'string' ? p : `${p.published}:${p.target}`));
}

function serverProperties(): Map<string, string> {
  const text = readFileSync(join(root, 'deploy/kafka/server.properties'), 'utf8');
  return new Map(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('docker-compose.yml', () => {
  it.each(SERVICE_NAMES)('runs the %s service on its default port from its compiled main', (name) => {
    const service = services[name];
    expect(service).toBeDefined();
    const port = SERVICES[name].defaultPort;
    expect(publishedPorts(service)).toContain(`${port}:${port}`);
    expect(environment(service).get('PORT')).toBe(String(port));
    expect(commandLine(service)).toContain(`dist/apps/${name}/src/main.js`);
    expect(service.build).toBeDefined();
    // The compiled file exists only after the build; its source must exist in the repository.
    expect(existsSync(join(root, 'apps', name, 'src', 'main.ts'))).toBe(true);
  });

  it('gives every service the distributed-mode configuration, and waits for the migration', () => {
    for (const name of SERVICE_NAMES) {
      const env = environment(services[name]);
      for (const required of [
        'DATABASE_URL',
        'KAFKA_BROKERS',
        'TESSERA_ISSUER',
        'TESSERA_KEK',
        'TESSERA_ADMIN_TOKEN',
      ]) {
        expect([name, env.has(required)]).toEqual([name, true]);
      }
      expect(services[name].depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' } });
    }
  });

  it('sets only the configuration variables the code reads (DESIGN §9)', () => {
    expect(tesseraServices.length).toBeGreaterThanOrEqual(SERVICE_NAMES.length);
    const known = new Set<string>(CONFIG_VARIABLES);
    const unknown = tesseraServices.flatMap(([name, service]) =>
      [...environment(service).keys()].filter((variable) => !known.has(variable)).map((v) => `${name}: ${v}`),
    );
    expect(unknown).toEqual([]);
  });

  it('builds the Tessera containers from the root Dockerfile', () => {
    for (const [, service] of tesseraServices) {
      const build = service.build!;
      const context = typeof build === 'string' ? build : (build.context ?? '.');
      const dockerfile = typeof build === 'string' ? 'Dockerfile' : (build.dockerfile ?? 'Dockerfile');
      expect(context).toBe('.');
      expect(existsSync(join(root, dockerfile))).toBe(true);
    }
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:20-/m);
  });

  it('migrates the schema and topics with the CLI before the services start', () => {
    const migrate = services.migrate;
    expect(migrate).toBeDefined();
    expect(commandLine(migrate)).toMatch(/tessera migrate$/);
    expect(migrate.depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      kafka: { condition: 'service_healthy' },
    });
  });

  it('runs the Kafka version deploy/kafka/pom.xml fetches for infra:up, configured like it', () => {
    const pom = readFileSync(join(root, 'deploy/kafka/pom.xml'), 'utf8');
    const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(services.kafka.image).toBe(`apache/kafka:${version}`);

    // The apache/kafka image maps KAFKA_<PROPERTY> to server.properties keys.
    const env = environment(services.kafka);
    const properties = serverProperties();
    for (const key of [
      'process.roles',
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
      'transaction.state.log.min.isr',
      'auto.create.topics.enable',
      'group.initial.rebalance.delay.ms',
    ]) {
      const variable = `KAFKA_${key.toUpperCase().replace(/\./g, '_')}`;
      expect([variable, env.get(variable)]).toEqual([variable, properties.get(key)]);
    }
  });

  it('creates the database and the service roles in PostgreSQL as infra:up does', () => {
    const mounts = (services.postgres.volumes ?? []).map((v) =>
      typeof v === 'string' ? v : `${v.source}:${v.target}`,
    );
    expect(mounts.some((m) => m.startsWith('./deploy/postgres/init.sql:/docker-entrypoint-initdb.d/'))).toBe(true);
    const sql = readFileSync(join(root, 'deploy/postgres/init.sql'), 'utf8');
    for (const name of SERVICE_NAMES) expect(sql).toContain(`'tessera_${name}'`);
  });
});
