import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

const ROOT = resolve(__dirname, '../..');
const CLASSPATH = join(ROOT, '.cache/kafka/libs/*');
const TEMPLATE = join(ROOT, 'deploy/kafka/server.properties');
const LOG4J = join(ROOT, 'deploy/kafka/log4j.properties');

/** Where and on which ports a private broker runs. */
export interface PrivateBrokerOptions {
  /** Client port (default 19092); the controller listens on port + 1. */
  port?: number;
  /** Directory under .infra/ holding data, properties and log (default `.infra/kafka-<port>`). */
  dir?: string;
}

/**
 * A private single-node KRaft broker for fault tests that stop the broker:
 * the same jars and server.properties template as `npm run infra:up`
 * (deploy/kafka), on other ports and its own data directory, so the shared
 * broker other tests use is never disturbed.
 */
export class PrivateKafkaBroker {
  readonly port: number;
  readonly controllerPort: number;
  readonly dir: string;
  private process: ChildProcess | null = null;

  constructor(opts: PrivateBrokerOptions = {}) {
    this.port = opts.port ?? 19092;
    this.controllerPort = this.port + 1;
    this.dir = opts.dir ?? join(ROOT, '.infra', `kafka-${this.port}`);
  }

  /** `host:port` for kafkajs. */
  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** Starts the broker (formatting its storage the first time) and waits until it answers. */
  async start(timeoutMs = 90_000): Promise<void> {
    if (this.process) throw new Error('broker already started');
    const dataDir = join(this.dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const properties = join(this.dir, 'server.properties');
    writeFileSync(properties, this.properties(dataDir));
    if (!existsSync(join(dataDir, 'meta.properties'))) {
      const clusterId = randomBytes(16).toString('base64url');
      const format = spawnSync(
        'java',
        [
          ...this.javaOpts(),
          '-cp',
          CLASSPATH,
          'kafka.tools.StorageTool',
          'format',
          // One argument with `=`: a base64url id may begin with '-', which would read as an option.
          `--cluster-id=${clusterId}`,
          '-c',
          properties,
          '--ignore-formatted',
        ],
        { encoding: 'utf8' },
      );
      if (format.status !== 0) throw new Error(`kafka storage format failed: ${format.stderr || format.stdout}`);
    }
    const log = openSync(join(this.dir, 'kafka.log'), 'a');
    this.process = spawn('java', [...this.javaOpts(), '-cp', CLASSPATH, 'kafka.Kafka', properties], {
      stdio: ['ignore', log, log],
    });
    const child = this.process;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`kafka exited with ${code}; see ${join(this.dir, 'kafka.log')}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([this.waitUntilAnswering(timeoutMs), exited]);
  }

  /** Stops the broker with SIGTERM (a clean shutdown) and waits for the process to end. */
  async stop(timeoutMs = 60_000): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** The last lines of the broker's log, for failure messages. */
  logTail(lines = 40): string {
    try {
      return readFileSync(join(this.dir, 'kafka.log'), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  private properties(dataDir: string): string {
    return readFileSync(TEMPLATE, 'utf8')
      .replace(/@LOG_DIRS@/g, dataDir)
      .replace(/127\.0\.0\.1:9093/g, `127.0.0.1:${this.controllerPort}`)
      .replace(/127\.0\.0\.1:9092/g, `127.0.0.1:${this.port}`);
  }

  private javaOpts(): string[] {
    return ['-Xms128m', '-Xmx384m', '-XX:+UseG1GC', '-Djava.awt.headless=true', `-Dlog4j.configuration=file:${LOG4J}`];
  }

  private async waitUntilAnswering(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const admin = new Kafka({
        clientId: 'private-broker-probe',
        brokers: this.brokers,
        logLevel: logLevel.NOTHING,
        connectionTimeout: 1000,
        requestTimeout: 3000,
        retry: { retries: 0 },
      }).admin();
      try {
        await admin.connect();
        await admin.listTopics();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`kafka on ${this.port} did not answer:\n${this.logTail()}`);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
