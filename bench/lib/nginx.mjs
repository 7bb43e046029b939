// A real nginx for the benchmarks, rendered from deploy/nginx with its own prefix and run in the
// foreground: the minimal part of test/gateway/nginx-gateway.ts (TypeScript, not in dist/) in plain ESM.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './servers.mjs';

const NGINX_DIR = join(root, 'deploy', 'nginx');

/** The nginx binary; installs it from Debian (scripts/ensure-nginx.sh) when missing. */
export function nginxBinary() {
  const find = () => ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
  let found = find();
  if (!found) {
    const install = spawnSync('bash', [join(root, 'scripts', 'ensure-nginx.sh')], { encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`scripts/ensure-nginx.sh failed:\n${install.stderr}`);
    found = find();
  }
  if (!found) throw new Error('nginx is not installed (scripts/ensure-nginx.sh)');
  return found;
}

/** A private prefix (config, pid, logs, temp, cache) rendered by deploy/nginx/render.sh from `vars`. */
export function renderGatewayPrefix(vars) {
  const prefix = mkdtempSync(join(tmpdir(), 'tessera-bench-nginx-'));
  // Workers drop to an unprivileged user when run as root: they must reach the prefix.
  chmodSync(prefix, 0o755);
  for (const dir of ['logs', 'temp']) mkdirSync(join(prefix, dir));
  const env = {
    PATH: process.env.PATH,
    TESSERA_NGINX_WORKERS: '1',
    ...vars,
    TESSERA_PHANTOM_CACHE_PATH: join(prefix, 'cache'),
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
    writeFileSync(join(prefix, output), rendered.stdout);
  }
  return prefix;
}

const prefixArgs = (prefix) => ['-p', `${prefix}/`, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr'];

/**
 * Starts nginx in the foreground from deploy/nginx (vars: the TESSERA_* of render.sh, with
 * TESSERA_GATEWAY_LISTEN as host:port, and TESSERA_GATEWAY_SECRET the introspection service's). Returns `{ url, prefix, logs(), stop() }` once it answers.
 */
export async function startNginxGateway(vars) {
  const prefix = renderGatewayPrefix(vars);
  const child = spawn(nginxBinary(), [...prefixArgs(prefix), '-g', 'daemon off;'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const listen = vars.TESSERA_GATEWAY_LISTEN;
  const url = `http://${listen.includes(':') ? listen : `127.0.0.1:${listen}`}`;
  const logs = () => {
    const read = (p) => (existsSync(p) ? readFileSync(p, 'utf8') : '');
    return `${output}\n--- error.log\n${read(join(prefix, 'logs', 'error.log'))}`;
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT'); // graceful
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      const text = logs();
      await stop();
      throw new Error(`nginx exited:\n${text}`);
    }
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      return { url, prefix, logs, stop };
    } catch {
      if (Date.now() > deadline) {
        const text = logs();
        await stop();
        throw new Error(`nginx did not answer at ${url}:\n${text}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
