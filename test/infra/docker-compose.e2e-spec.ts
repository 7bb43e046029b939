// docker-compose.yml must run what the code defines (issues 2 and 7): every service of SERVICES on
// its default port, started from its compiled entry point, reading only the variables of DESIGN §9,
// next to the same Kafka version `npm run infra:up` runs and the same broker settings; nginx renders
// deploy/nginx with its own render.sh and routes to those services; traces go to Jaeger over OTLP.
// No Docker engine is needed: the file is parsed, never run.
import { execFileSync } from 'node:child_process';
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
  healthcheck?: { test?: string | string[] };
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

  it('checks readiness on /health/ready, the route the platform serves', () => {
    const controller = readFileSync(join(root, 'libs/platform/src/health/health.controller.ts'), 'utf8');
    expect(controller).toContain("@Controller('health')");
    expect(controller).toContain("@Get('ready')");
    for (const name of SERVICE_NAMES) {
      expect([services[name].healthcheck?.test ?? []].flat().join(' ')).toContain('/health/ready');
    }
  });

  it('runs the migration through the tessera bin the image puts on PATH', () => {
    const bin = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(readFileSync(join(root, 'packages/cli', bin.bin.tessera), 'utf8')).toContain('dist/apps/cli/src/main.js');
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toMatch(/^ENV PATH=\/app\/node_modules\/\.bin:\$PATH$/m);
    // The migration creates the topics the services use: the same prefix.
    const prefix = environment(services.migrate).get('TESSERA_TOPIC_PREFIX');
    for (const name of SERVICE_NAMES) expect(environment(services[name]).get('TESSERA_TOPIC_PREFIX')).toBe(prefix);
  });

  it("points every service's OTLP/HTTP trace export at the Jaeger container", () => {
    expect(services.jaeger?.image).toMatch(/^jaegertracing\/all-in-one:\d+\.\d+\.\d+$/);
    expect(publishedPorts(services.jaeger)).toContain('16686:16686');
    for (const name of SERVICE_NAMES) {
      expect([name, environment(services[name]).get('OTEL_EXPORTER_OTLP_ENDPOINT')]).toEqual([
        name,
        'http://jaeger:4318',
      ]);
    }
  });

  describe('nginx', () => {
    const nginx = services.nginx;
    const env = environment(nginx);

    it('mounts deploy/nginx and renders it with render.sh before starting', () => {
      expect((nginx.volumes ?? []).map(String)).toContain('./deploy/nginx:/etc/tessera/nginx:ro');
      const entry = commandLine(nginx);
      expect(entry).toContain('/etc/tessera/nginx/render.sh /etc/tessera/nginx/tessera.conf.template');
      expect(entry).toContain("exec nginx -g 'daemon off;'");
      for (const name of SERVICE_NAMES) {
        expect(nginx.depends_on).toMatchObject({ [name]: { condition: 'service_healthy' } });
      }
    });

    it('renders a configuration that sends each route to its service on its port', () => {
      // The compose variables with their ${VAR:-default} defaults applied, as docker compose would.
      const rendered = execFileSync('bash', [join(root, 'deploy/nginx/render.sh')], {
        env: {
          PATH: process.env.PATH,
          ...Object.fromEntries([...env].map(([k, v]) => [k, v.replace(/^\$\{[A-Z_]+:-(.*)\}$/, '$1')])),
          // A required variable (`${VAR:?…}`): the operator's value.
          TESSERA_GATEWAY_SECRET: 'gateway-secret-for-the-compose-test-0123456789',
        },
        encoding: 'utf8',
      });
      for (const name of SERVICE_NAMES) {
        expect(rendered).toContain(`upstream tessera_${name} {\n    server ${name}:${SERVICES[name].defaultPort};`);
      }
      expect(rendered).toContain(`listen ${env.get('TESSERA_GATEWAY_LISTEN')};`);
      expect(rendered).toContain('proxy_pass http://tessera_introspection/gateway/phantom;');
      expect(publishedPorts(nginx)).toContain(`8080:${env.get('TESSERA_GATEWAY_LISTEN')}`);
    });

    it('shares the gateway secret with the introspection service only, as a required variable', () => {
      const secret = env.get('TESSERA_GATEWAY_SECRET');
      expect(secret).toMatch(/^\$\{TESSERA_GATEWAY_SECRET:\?/);
      expect(environment(services.introspection).get('TESSERA_GATEWAY_SECRET')).toBe(secret);
      for (const name of SERVICE_NAMES.filter((n) => n !== 'introspection')) {
        expect([name, environment(services[name]).has('TESSERA_GATEWAY_SECRET')]).toEqual([name, false]);
      }
    });

    it("is the issuer by default: the services' public URL is nginx's", () => {
      for (const name of SERVICE_NAMES) {
        expect(environment(services[name]).get('TESSERA_ISSUER')).toBe('${TESSERA_ISSUER:-http://localhost:8080}');
      }
    });
  });
});
