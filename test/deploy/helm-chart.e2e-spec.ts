// deploy/helm/tessera must run what the code defines (issue 7 §4): every template is rendered
// (go-template.ts; there is no helm binary here), every manifest parsed, and each one checked
// against the services' ports, entry points, health routes and configuration variables, the CLI's
// migrate command, the phantom token route and the ingress of deploy/kubernetes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { defaultPhantomTokenSettings } from '../../apps/introspection/src/gateway/phantom-token.settings';
import { CONFIG_VARIABLES, SERVICE_NAMES, SERVICES } from '../../libs/platform/src/services';
import { type Manifest, renderChart } from './helm-chart';

const root = join(__dirname, '..', '..');
const source = (path: string) => readFileSync(join(root, path), 'utf8');

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  command: string[];
  env: EnvVar[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[] };
}
interface IngressPath {
  path: string;
  pathType: string;
  backend: { service: { name: string; port: { name?: string; number?: number } } };
}

const secrets = {
  DATABASE_URL: 'postgres://tessera:pw@postgres.db:5432/tessera',
  TESSERA_KEK: 'MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=',
  TESSERA_ADMIN_TOKEN: 'admin-token-for-the-test',
  TESSERA_GATEWAY_SECRET: 'gateway-secret-for-the-helm-test-0123456789',
};
const manifests = renderChart({ secrets: { values: secrets }, otlpEndpoint: 'http://otel-collector:4318' });

function find(list: Manifest[], kind: string, name: string): Manifest {
  const found = list.filter((m) => m.kind === kind && m.metadata.name === name);
  expect([kind, name, found.length]).toEqual([kind, name, 1]);
  return found[0];
}
const spec = <T>(m: Manifest) => m.spec as T;
const podTemplate = (m: Manifest) => spec<{ template: PodTemplate }>(m).template;
const container = (m: Manifest) => podTemplate(m).spec.containers[0];
const envOf = (c: Container) => new Map(c.env.map((e) => [e.name, e]));

describe('deploy/helm/tessera', () => {
  it('renders only well-formed objects with unique kind and name', () => {
    expect(manifests.length).toBeGreaterThan(0);
    const keys = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const m of manifests) {
      expect(typeof m.apiVersion).toBe('string');
      expect(m.metadata.namespace).toBe('tessera');
    }
  });

  describe.each(SERVICE_NAMES)('the %s service', (name) => {
    const port = SERVICES[name].defaultPort;
    const deployment = find(manifests, 'Deployment', `tessera-${name}`);
    const main = container(deployment);

    it('runs its compiled main on its DESIGN §9 port', () => {
      expect(main.command).toEqual(['node', `dist/apps/${name}/src/main.js`]);
      expect(existsSync(join(root, 'apps', name, 'src', 'main.ts'))).toBe(true);
      expect(main.ports).toEqual([{ name: 'http', containerPort: port }]);
      expect(envOf(main).get('PORT')?.value).toBe(String(port));
    });

    it('has a Service on that port selecting exactly its pods', () => {
      const service = find(manifests, 'Service', `tessera-${name}`);
      const { selector, ports } = spec<{ selector: Record<string, string>; ports: object[] }>(service);
      expect(ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
      expect(podTemplate(deployment).metadata.labels).toMatchObject(selector);
      expect(spec<{ selector: { matchLabels: object } }>(deployment).selector.matchLabels).toEqual(selector);
      // No other service's pods match.
      for (const other of SERVICE_NAMES.filter((n) => n !== name)) {
        const labels = podTemplate(find(manifests, 'Deployment', `tessera-${other}`)).metadata.labels;
        expect(Object.entries(selector).every(([k, v]) => labels[k] === v)).toBe(false);
      }
    });

    it('is ready on /health/ready (database, Kafka, projection lag) and live on /health/live', () => {
      expect(main.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(main.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    });

    it('reads only DESIGN §9 variables, with the secrets from the Secret', () => {
      const env = envOf(main);
      const known = new Set<string>(CONFIG_VARIABLES);
      expect([...env.keys()].filter((v) => !known.has(v))).toEqual([]);
      for (const required of ['PORT', 'TESSERA_ISSUER', 'KAFKA_BROKERS', 'OTEL_EXPORTER_OTLP_ENDPOINT']) {
        expect([required, env.get(required)?.value]).toEqual([required, expect.any(String)]);
      }
      const secret = find(manifests, 'Secret', 'tessera-secrets');
      const data = secret.stringData as Record<string, string>;
      for (const variable of ['DATABASE_URL', 'TESSERA_KEK', 'TESSERA_ADMIN_TOKEN'] as const) {
        expect(env.get(variable)).toEqual({
          name: variable,
          valueFrom: { secretKeyRef: { name: 'tessera-secrets', key: variable } },
        });
        expect(data[variable]).toBe(secrets[variable]);
      }
      // The gateway secret: the introspection service's alone (it guards /gateway/phantom).
      if (name === 'introspection') {
        expect(env.get('TESSERA_GATEWAY_SECRET')).toEqual({
          name: 'TESSERA_GATEWAY_SECRET',
          valueFrom: { secretKeyRef: { name: 'tessera-secrets', key: 'TESSERA_GATEWAY_SECRET' } },
        });
        expect(data.TESSERA_GATEWAY_SECRET).toBe(secrets.TESSERA_GATEWAY_SECRET);
      } else {
        expect(env.has('TESSERA_GATEWAY_SECRET')).toBe(false);
      }
    });

    it('has a PodDisruptionBudget and a HorizontalPodAutoscaler', () => {
      const pdb = find(manifests, 'PodDisruptionBudget', `tessera-${name}`);
      const pdbSpec = spec<{ minAvailable: number; selector: { matchLabels: Record<string, string> } }>(pdb);
      expect(pdbSpec.minAvailable).toBeGreaterThanOrEqual(1);
      expect(podTemplate(deployment).metadata.labels).toMatchObject(pdbSpec.selector.matchLabels);
      const hpa = find(manifests, 'HorizontalPodAutoscaler', `tessera-${name}`);
      const hpaSpec = spec<{ scaleTargetRef: object; minReplicas: number; maxReplicas: number }>(hpa);
      expect(hpaSpec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: `tessera-${name}` });
      // minReplicas above the PDB's minAvailable, so a voluntary disruption can always proceed.
      expect(hpaSpec.minReplicas).toBeGreaterThan(pdbSpec.minAvailable);
      expect(hpaSpec.maxReplicas).toBeGreaterThanOrEqual(hpaSpec.minReplicas);
    });
  });

  it('serves the probe routes it names, with projection lag part of readiness', () => {
    const controller = source('libs/platform/src/health/health.controller.ts');
    expect(controller).toContain("@Controller('health')");
    expect(controller).toContain("@Get('ready')");
    expect(controller).toContain("@Get('live')");
    expect(source('libs/platform/src/runtime/platform-runtime.ts')).toMatch(/projectionChecks\(/);
  });

  describe('the migration job', () => {
    const job = find(manifests, 'Job', 'tessera-migrate');
    const migrate = container(job);

    it('runs `tessera migrate` from the compiled CLI', () => {
      expect(migrate.command).toEqual(['node', 'dist/apps/cli/src/main.js', 'migrate']);
      expect(existsSync(join(root, 'apps/cli/src/main.ts'))).toBe(true);
      expect(source('apps/cli/src/commands/migrate.command.ts')).toContain("name: 'migrate'");
      expect(source('apps/cli/src/commands/index.ts')).toMatch(/\bmigrate,/);
    });

    it('is a pre-install and pre-upgrade hook, after the Secret it reads', () => {
      const annotations = job.metadata.annotations ?? {};
      expect(annotations['helm.sh/hook'].split(',').sort()).toEqual(['pre-install', 'pre-upgrade']);
      const secret = find(manifests, 'Secret', 'tessera-secrets').metadata.annotations ?? {};
      expect(secret['helm.sh/hook']).toBe(annotations['helm.sh/hook']);
      expect(Number(secret['helm.sh/hook-weight'])).toBeLessThan(Number(annotations['helm.sh/hook-weight']));
      expect(spec<{ template: { spec: { restartPolicy: string } } }>(job).template.spec.restartPolicy).toBe('Never');
    });

    it('creates the topics the services use, with DESIGN §9 variables only', () => {
      const env = envOf(migrate);
      const known = new Set<string>(CONFIG_VARIABLES);
      expect([...env.keys()].filter((v) => !known.has(v))).toEqual([]);
      expect(env.get('DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({
        name: 'tessera-secrets',
        key: 'DATABASE_URL',
      });
      const token = envOf(container(find(manifests, 'Deployment', 'tessera-token')));
      for (const shared of ['KAFKA_BROKERS', 'TESSERA_TOPIC_PREFIX']) {
        expect(env.get(shared)).toEqual(token.get(shared));
      }
      expect(env.get('TESSERA_TOPIC_PARTITIONS')?.value).toBe('3');
    });
  });

  describe('the ingress', () => {
    const helperIngress = parseAllDocuments(source('deploy/kubernetes/tessera-ingress.yaml')).map(
      (d) => d.toJS() as Manifest,
    );
    const paths = (m: Manifest) =>
      spec<{ rules: { http: { paths: IngressPath[] } }[] }>(m).rules.flatMap((r) => r.http.paths);

    it('routes the public paths as deploy/kubernetes does, to Services that exist', () => {
      const routes = paths(find(manifests, 'Ingress', 'tessera-public'));
      const expected = paths(find(helperIngress, 'Ingress', 'tessera-public'));
      const key = (p: IngressPath) => `${p.path} ${p.pathType} ${p.backend.service.name}`;
      expect(routes.map(key).sort()).toEqual(expected.map(key).sort());
      for (const route of routes) {
        const service = find(manifests, 'Service', route.backend.service.name);
        expect(spec<{ ports: { name: string }[] }>(service).ports.map((p) => p.name)).toContain(
          route.backend.service.port.name,
        );
        expect(route.path.startsWith('/gateway')).toBe(false);
      }
    });

    it('protects an API with the phantom token at the introspection Service', () => {
      const api = find(manifests, 'Ingress', 'tessera-api-demo');
      const a = api.metadata.annotations ?? {};
      const port = SERVICES.introspection.defaultPort;
      expect(a['nginx.ingress.kubernetes.io/auth-url']).toBe(
        `http://tessera-introspection.tessera.svc.cluster.local:${port}/gateway/phantom`,
      );
      find(manifests, 'Service', 'tessera-introspection');
      const controller = source('apps/introspection/src/gateway/phantom-token.controller.ts');
      expect(controller).toContain("@Controller('gateway')");
      expect(controller).toContain("@All('phantom')");
      expect(a['nginx.ingress.kubernetes.io/auth-response-headers']).toBe('Authorization');
      expect(a['nginx.ingress.kubernetes.io/auth-method']).toBe('GET');
      expect(a['nginx.ingress.kubernetes.io/auth-cache-key']).toBeUndefined();

      // The audience and gateway-secret headers: a ConfigMap the controller sets on the subrequest, named
      // as the service reads them; the secret is the one the introspection service gets from the Secret.
      const [namespace, name] = a['nginx.ingress.kubernetes.io/auth-proxy-set-headers'].split('/');
      const headers = find(manifests, 'ConfigMap', name);
      expect(headers.metadata.namespace).toBe(namespace);
      const data = headers.data as Record<string, string>;
      expect(Object.fromEntries(Object.entries(data).map(([h, v]) => [h.toLowerCase(), v]))).toEqual({
        [defaultPhantomTokenSettings.audienceHeader]: 'https://api.example.com/demo',
        [defaultPhantomTokenSettings.gatewaySecretHeader]: secrets.TESSERA_GATEWAY_SECRET,
      });

      // The same annotations as deploy/kubernetes, but for the names the release gives.
      const helper = find(helperIngress, 'Ingress', 'tessera-api-demo').metadata.annotations ?? {};
      const same = (k: string) => !k.endsWith('/auth-url') && !k.endsWith('/auth-proxy-set-headers');
      expect(Object.fromEntries(Object.entries(a).filter(([k]) => same(k)))).toEqual(
        Object.fromEntries(Object.entries(helper).filter(([k]) => same(k))),
      );
      expect(paths(api)).toEqual(paths(find(helperIngress, 'Ingress', 'tessera-api-demo')));
    });

    it('caches the phantom answer per API only when asked to', () => {
      const values = renderChart({
        secrets: { values: secrets },
        ingress: {
          apis: [
            {
              name: 'orders',
              path: '/api/orders',
              audience: 'https://api.example.com/orders',
              cacheSeconds: 10,
              service: { name: 'orders', port: 80 },
            },
          ],
        },
      });
      const a = find(values, 'Ingress', 'tessera-api-orders').metadata.annotations ?? {};
      expect(a['nginx.ingress.kubernetes.io/auth-cache-key']).toBe('$http_authorization tessera-api-orders');
      expect(a['nginx.ingress.kubernetes.io/auth-cache-duration']).toBe('200 10s');
      expect(values.some((m) => m.metadata.name === 'tessera-api-demo')).toBe(false);
    });
  });

  describe('other values', () => {
    it('uses an existing Secret instead of creating one', () => {
      // The ingress ConfigMaps still need the gateway secret's value (a Secret cannot feed a ConfigMap).
      const gateway = { TESSERA_GATEWAY_SECRET: secrets.TESSERA_GATEWAY_SECRET };
      const rendered = renderChart({ secrets: { existingSecret: 'prod-tessera', values: gateway } });
      expect(rendered.some((m) => m.kind === 'Secret')).toBe(false);
      for (const m of rendered.filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
        const refs = container(m).env.flatMap((e) =>
          e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : [],
        );
        expect(refs.length).toBeGreaterThan(0);
        expect(new Set(refs)).toEqual(new Set(['prod-tessera']));
      }
    });

    it('refuses to render without the secrets, naming the missing value', () => {
      expect(() => renderChart()).toThrow(/secrets\.values\.[A-Z_]+ is required/);
      expect(() => renderChart({ ingress: { apis: [] } })).toThrow(/secrets\.values\.DATABASE_URL is required/);
      const { TESSERA_GATEWAY_SECRET: _omitted, ...withoutGateway } = secrets;
      expect(() => renderChart({ secrets: { values: withoutGateway } })).toThrow(
        /secrets\.values\.TESSERA_GATEWAY_SECRET is required/,
      );
      expect(() => renderChart({ secrets: { existingSecret: 'prod-tessera' } })).toThrow(
        /secrets\.values\.TESSERA_GATEWAY_SECRET is required for ingress\.apis/,
      );
    });

    it('sets fixed replicas and no autoscaler when autoscaling is off', () => {
      const rendered = renderChart({ secrets: { values: secrets }, autoscaling: { enabled: false }, replicas: 3 });
      expect(rendered.some((m) => m.kind === 'HorizontalPodAutoscaler')).toBe(false);
      for (const name of SERVICE_NAMES) {
        expect(spec<{ replicas: number }>(find(rendered, 'Deployment', `tessera-${name}`)).replicas).toBe(3);
      }
    });

    it('exports no traces unless an OTLP endpoint is set', () => {
      const rendered = renderChart({ secrets: { values: secrets } });
      const env = envOf(container(find(rendered, 'Deployment', 'tessera-audit')));
      expect(env.has('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe(false);
    });
  });
});
