import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../platform/spawned-process';

const NGINX_DIR = join(ROOT, 'deploy', 'nginx');

/** The upstream addresses and options deploy/nginx/render.sh fills in. */
export interface GatewayVars {
  TESSERA_GATEWAY_LISTEN: string;
  TESSERA_AUTHENTICATION_UPSTREAM: string;
  TESSERA_TOKEN_UPSTREAM: string;
  TESSERA_INTROSPECTION_UPSTREAM: string;
  TESSERA_CONSENT_UPSTREAM: string;
  TESSERA_AUDIT_UPSTREAM: string;
  TESSERA_DEMO_API_UPSTREAM: string;
  TESSERA_DEMO_API_AUDIENCE: string;
  /** The introspection service's TESSERA_GATEWAY_SECRET; nginx sends it on the phantom subrequest. */
  TESSERA_GATEWAY_SECRET: string;
  TESSERA_PHANTOM_CACHE_SECONDS?: string;
}

/** A fresh TESSERA_GATEWAY_SECRET (256 bits, base64url), for the services and nginx of one test. */
export function newGatewaySecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The nginx binary; installs it from Debian (scripts/ensure-nginx.sh) when missing. */
export function nginxBinary(): string {
  const find = () => ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
  let found = find();
  if (!found) {
    const install = spawnSync('bash', [join(ROOT, 'scripts', 'ensure-nginx.sh')], { encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`scripts/ensure-nginx.sh failed:\n${install.stderr}`);
    found = find();
  }
  if (!found) throw new Error('nginx is not installed (scripts/ensure-nginx.sh)');
  return found;
}

/** Rewrites a rendered file (`tessera.conf`, `nginx.conf`), e.g. to serve the protected API under another path. */
export type GatewayConfEdit = (file: string, rendered: string) => string;

/** A private nginx prefix: its config, pid, logs, temp and cache paths, all under one temp folder. */
export function renderGatewayPrefix(vars: GatewayVars, edit: GatewayConfEdit = (_f, c) => c): string {
  const prefix = mkdtempSync(join(tmpdir(), 'tessera-nginx-'));
  // Workers drop to an unprivileged user when the tests run as root: they must reach the prefix.
  chmodSync(prefix, 0o755);
  for (const dir of ['logs', 'temp']) mkdirSync(join(prefix, dir));
  const env = {
    PATH: process.env.PATH,
    ...vars,
    TESSERA_PHANTOM_CACHE_PATH: join(prefix, 'cache'),
    TESSERA_NGINX_WORKERS: '1',
  };
  for (const [template, output] of [
    ['tessera.conf.template', 'tessera.conf'],
    ['nginx.conf.template', 'nginx.conf'],
  ]) {
    const rendered = spawnSync('bash', [join(NGINX_DIR, 'render.sh'), join(NGINX_DIR, template)], {
      env,
      encoding: 'utf8',
    });
    if (rendered.status !== 0) throw new Error(`render.sh ${template} failed: ${rendered.stderr}`);
    writeFileSync(join(prefix, output), edit(output, rendered.stdout));
  }
  return prefix;
}

/** `nginx -t` on a rendered prefix: status and output. */
export function nginxConfigTest(prefix: string): { status: number | null; output: string } {
  const result = spawnSync(nginxBinary(), ['-t', ...prefixArgs(prefix)], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const prefixArgs = (prefix: string) => ['-p', `${prefix}/`, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr'];

/** A real nginx in the foreground, rendered from deploy/nginx, on the given port. */
export class NginxGateway {
  private output = '';

  private constructor(
    readonly prefix: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  static async start(vars: GatewayVars, edit?: GatewayConfEdit): Promise<NginxGateway> {
    const prefix = renderGatewayPrefix(vars, edit);
    const child = spawn(nginxBinary(), [...prefixArgs(prefix), '-g', 'daemon off;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const listen = vars.TESSERA_GATEWAY_LISTEN;
    const gateway = new NginxGateway(prefix, `http://${listen.includes(':') ? listen : `127.0.0.1:${listen}`}`, child);
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nginx exited:\n${gateway.logs()}`);
      try {
        await fetch(`${gateway.url}/`, { signal: AbortSignal.timeout(1000) });
        return gateway;
      } catch {
        if (Date.now() > deadline) {
          const logs = gateway.logs();
          await gateway.stop();
          throw new Error(`nginx did not answer at ${gateway.url}:\n${logs}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** nginx's own output and error log (for failure messages and secret checks). */
  logs(): string {
    const errorLog = join(this.prefix, 'logs', 'error.log');
    const accessLog = join(this.prefix, 'logs', 'access.log');
    const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : '');
    return `${this.output}\n--- error.log\n${read(errorLog)}\n--- access.log\n${read(accessLog)}`;
  }

  /** Stops nginx (SIGQUIT: graceful) and removes its prefix. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGQUIT');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.prefix, { recursive: true, force: true });
  }
}
