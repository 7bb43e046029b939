import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../platform/spawned-process';
import { type GatewayVars, nginxConfigTest, renderGatewayPrefix } from './nginx-gateway';

// Issue 4 §4: the deploy/ configurations are real. The nginx one renders and passes `nginx -t` (real
// nginx, installed by scripts/ensure-nginx.sh when missing); the Kubernetes one routes the same public
// paths and points ingress-nginx's auth-url at the introspection service's /gateway/phantom.

const vars: GatewayVars = {
  TESSERA_GATEWAY_LISTEN: '127.0.0.1:18080',
  TESSERA_AUTHENTICATION_UPSTREAM: '127.0.0.1:4001',
  TESSERA_TOKEN_UPSTREAM: '127.0.0.1:4002',
  TESSERA_INTROSPECTION_UPSTREAM: '127.0.0.1:4003',
  TESSERA_CONSENT_UPSTREAM: '127.0.0.1:4004',
  TESSERA_AUDIT_UPSTREAM: '127.0.0.1:4005',
  TESSERA_DEMO_API_UPSTREAM: '127.0.0.1:9000',
  TESSERA_DEMO_API_AUDIENCE: 'https://api.example.com/demo',
  TESSERA_GATEWAY_SECRET: 'gateway-secret-for-the-config-test-0123456789',
};

describe('deploy/nginx', () => {
  it.each(['0', '15'])('renders a configuration that passes nginx -t (cache seconds %s)', (seconds) => {
    const prefix = renderGatewayPrefix({ ...vars, TESSERA_PHANTOM_CACHE_SECONDS: seconds });
    try {
      const result = nginxConfigTest(prefix);
      expect(result.output).toContain('test is successful');
      expect(result.status).toBe(0);
      const conf = readFileSync(join(prefix, 'tessera.conf'), 'utf8');
      expect(conf).not.toMatch(/\$\{TESSERA_/);
      expect(conf).toContain('server 127.0.0.1:4003;');
      expect(conf).toContain(`proxy_cache ${seconds === '0' ? 'off' : 'tessera_phantom'};`);
      // The phantom endpoint is internal only; the protected API forwards the JWT, not the client's token.
      expect(conf).toMatch(/location = \/_tessera\/phantom \{\s*internal;/);
      expect(conf).toMatch(/location \^~ \/gateway\/ \{ return 404; \}/);
      expect(conf).toContain('auth_request /_tessera/phantom;');
      expect(conf).toContain('proxy_set_header Authorization $tessera_phantom_authorization;');
      // The gateway secret goes on the phantom subrequest only; every other location drops a client's.
      const phantom = /location = \/_tessera\/phantom \{[^}]*\}/.exec(conf)![0];
      expect(phantom).toContain(`proxy_set_header X-Tessera-Gateway-Secret "${vars.TESSERA_GATEWAY_SECRET}";`);
      expect(conf.split(vars.TESSERA_GATEWAY_SECRET)).toHaveLength(2);
      expect(conf).toMatch(/listen [^;]+;\s[\s\S]*proxy_set_header X-Tessera-Gateway-Secret "";/);
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });

  it.each([
    ['unset', undefined],
    ['too short', 'short-secret'],
    ['able to inject configuration', 'gateway-secret-0123456789abcdefghij"; } server {'],
  ])('refuses a gateway secret that is %s, without echoing it', (_why, secret) => {
    const result = spawnSync('bash', [join(ROOT, 'deploy', 'nginx', 'render.sh')], {
      env: { PATH: process.env.PATH, ...(secret === undefined ? {} : { TESSERA_GATEWAY_SECRET: secret }) },
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('TESSERA_GATEWAY_SECRET');
    if (secret !== undefined) expect(result.stderr).not.toContain(secret);
    expect(result.stdout).toBe('');
  });

  it.each(['30', '120'])('refuses TESSERA_PHANTOM_CACHE_SECONDS=%s (README: below 30)', (seconds) => {
    const result = spawnSync('bash', [join(ROOT, 'deploy', 'nginx', 'render.sh')], {
      env: { PATH: process.env.PATH, ...vars, TESSERA_PHANTOM_CACHE_SECONDS: seconds },
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('TESSERA_PHANTOM_CACHE_SECONDS must be below 30');
  });

  it('refuses a value that would inject configuration', () => {
    const result = spawnSync('bash', [join(ROOT, 'deploy', 'nginx', 'render.sh')], {
      env: {
        PATH: process.env.PATH,
        TESSERA_GATEWAY_SECRET: vars.TESSERA_GATEWAY_SECRET,
        TESSERA_TOKEN_UPSTREAM: '127.0.0.1:4002; } server { listen 81',
      },
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('TESSERA_TOKEN_UPSTREAM');
  });
});

describe('deploy/kubernetes', () => {
  interface IngressPath {
    path: string;
    backend: { service: { name: string; port: { number: number } } };
  }
  interface K8sObject {
    kind: string;
    metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
    spec?: { rules: Array<{ http: { paths: IngressPath[] } }> };
    data?: Record<string, string>;
  }

  const docs = parseAllDocuments(readFileSync(join(ROOT, 'deploy', 'kubernetes', 'tessera-ingress.yaml'), 'utf8'));
  const objects = docs.map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as K8sObject;
  });
  const byName = (name: string) => objects.find((o) => o.metadata.name === name)!;
  const paths = (o: K8sObject) => o.spec!.rules.flatMap((r) => r.http.paths);

  it("protects the API with auth-url at the introspection service's /gateway/phantom", () => {
    const api = byName('tessera-api-demo');
    expect(api.kind).toBe('Ingress');
    const annotations = api.metadata.annotations!;
    const authUrl = new URL(annotations['nginx.ingress.kubernetes.io/auth-url']);
    expect(authUrl.pathname).toBe('/gateway/phantom');
    expect(authUrl.port).toBe('4003');
    expect(authUrl.hostname).toMatch(/^tessera-introspection\./);
    expect(annotations['nginx.ingress.kubernetes.io/auth-response-headers']).toBe('Authorization');
    // The audience header comes from a ConfigMap that exists, in the same namespace.
    const [ns, name] = annotations['nginx.ingress.kubernetes.io/auth-proxy-set-headers'].split('/');
    const headers = byName(name);
    expect(headers).toMatchObject({ kind: 'ConfigMap', metadata: { namespace: ns } });
    expect(headers.data!['X-Tessera-Audience']).toMatch(/^https:\/\//);
    // The gateway secret /gateway/phantom requires travels in the same ConfigMap (README.md: not secret storage).
    expect(Object.keys(headers.data!).sort()).toEqual(['X-Tessera-Audience', 'X-Tessera-Gateway-Secret']);
    expect(annotations['nginx.ingress.kubernetes.io/auth-cache-key']).toBeUndefined(); // off by default
  });

  it('routes the public paths to their owners (DESIGN §1) and never exposes /gateway', () => {
    const routes = Object.fromEntries(
      paths(byName('tessera-public')).map((p) => [
        p.path,
        `${p.backend.service.name}:${p.backend.service.port.number}`,
      ]),
    );
    expect(routes).toMatchObject({
      '/oauth/authorize': 'tessera-authentication:4001',
      '/userinfo': 'tessera-authentication:4001',
      '/scim': 'tessera-authentication:4001',
      '/oauth/token': 'tessera-token:4002',
      '/oauth/revoke': 'tessera-token:4002',
      '/oauth/register': 'tessera-token:4002',
      '/.well-known': 'tessera-token:4002',
      '/jwks': 'tessera-token:4002',
      '/admin/scopes': 'tessera-token:4002',
      '/admin/clients': 'tessera-token:4002',
      '/oauth/introspect': 'tessera-introspection:4003',
      '/consents': 'tessera-consent:4004',
      '/audit': 'tessera-audit:4005',
    });
    const all = objects.filter((o) => o.kind === 'Ingress').flatMap(paths);
    expect(all.filter((p) => p.path.startsWith('/gateway'))).toEqual([]);
  });
});
