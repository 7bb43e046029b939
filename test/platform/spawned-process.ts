import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..');

/**
 * A compiled file: from dist/ (`npm test` builds first, scripts/test.sh), or from the private build
 * TESSERA_E2E_DIST names (a `tsc --outDir` of tsconfig.build.json with a node_modules link), so that an
 * e2e test can run while others edit the tree. `relative`: e.g. `examples/orders-api/src/main.js`.
 */
export function compiledFile(relative: string): string {
  const path = join(process.env.TESSERA_E2E_DIST ?? join(ROOT, 'dist'), relative);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
  return path;
}

/** The compiled entry point of an app (see compiledFile). */
export function compiledMain(app: string): string {
  return compiledFile(join('apps', app, 'src', 'main.js'));
}

/** A free TCP port on this machine. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Only the variables a child needs: nothing from the developer's shell (a
 * stray DATABASE_URL or TESSERA_* would change what is tested).
 */
export function childEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test' };
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) env[k] = v;
  return env;
}

/** A spawned node process with its output collected. */
export class SpawnedProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; graceful: boolean }> {
    if (!this.running) return { ...(await this.exited), graceful: true };
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const result = await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.child.kill('SIGKILL');
      return { ...(await this.exited), graceful: false };
    }
    return { ...result, graceful: true };
  }

  /** The output so far, for failure messages. */
  output(): string {
    return `--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`;
  }
}

/** A JSON-or-text HTTP answer. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** GET, or null when nothing answers. */
export async function get(url: string): Promise<Answer | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  } catch {
    return null;
  }
}

/** Polls `url` until `accept` holds, the process exits, or the deadline passes. */
export async function waitFor(
  proc: SpawnedProcess,
  url: string,
  accept: (a: Answer) => boolean,
  timeoutMs = 60_000,
): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  let last: Answer | null = null;
  while (Date.now() < deadline) {
    if (!proc.running) throw new Error(`process exited while waiting for ${url}\n${proc.output()}`);
    last = await get(url);
    if (last && accept(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${url} did not answer as expected in ${timeoutMs} ms; last: ${JSON.stringify(last)}\n${proc.output()}`,
  );
}

/** The compiled apps one test file starts; `stopAll()` in its afterAll stops whatever is still running. */
export class SpawnedApps {
  private readonly running: SpawnedProcess[] = [];

  /** Starts `dist/apps/<app>/src/main.js` with only the given variables. */
  start(app: string, env: Record<string, string | undefined>): SpawnedProcess {
    return this.startFile(join('apps', app, 'src', 'main.js'), env);
  }

  /** Starts any compiled entry point (an example API) with only the given variables. */
  startFile(relative: string, env: Record<string, string | undefined>): SpawnedProcess {
    const proc = new SpawnedProcess([compiledFile(relative)], childEnv(env));
    this.running.push(proc);
    return proc;
  }

  /**
   * Starts each app on its port with the same variables (`PORT` added per app) and waits until every one
   * answers `/health/ready` with 200. Returns the processes by app (their output is the test's to check).
   */
  async startReady<A extends string>(
    ports: Readonly<Record<A, number>>,
    env: Record<string, string | undefined>,
  ): Promise<Record<A, SpawnedProcess>> {
    const entries = Object.entries(ports) as [A, number][];
    const procs = entries.map(([app, port]) => [app, this.start(app, { ...env, PORT: String(port) })] as const);
    await Promise.all(
      procs.map(([, proc], i) =>
        waitFor(proc, `http://127.0.0.1:${entries[i][1]}/health/ready`, (a) => a.status === 200),
      ),
    );
    return Object.fromEntries(procs) as Record<A, SpawnedProcess>;
  }

  async stopAll(graceMs = 5000): Promise<void> {
    await Promise.all(this.running.map((p) => p.stop(graceMs)));
  }
}
