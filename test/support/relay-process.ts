import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const CLI_MAIN = join(ROOT, 'dist/apps/cli/src/main.js');
const CLI_COMMANDS = join(ROOT, 'dist/apps/cli/src/commands/index.js');
const FIXTURE = join(ROOT, 'test/fixtures/relay-process.js');
const COMPILED_COMMAND = join(ROOT, 'dist/apps/cli/src/commands/relay.command.js');

/** A `tessera relay` child process and what it printed. */
export interface RelayProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout contains `text`. */
  waitForOutput(text: string, timeoutMs: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `node dist/apps/cli/src/main.js relay` (the compiled CLI; `npm test` builds first),
 * or the fixture that runs the compiled command when the CLI does not list it.
 */
export function spawnRelay(env: Record<string, string>): RelayProcess {
  if (!existsSync(COMPILED_COMMAND)) {
    throw new Error(`${COMPILED_COMMAND} is missing: run \`npm run build\` before the relay fault tests`);
  }
  const viaCli = existsSync(CLI_MAIN) && readFileSync(CLI_COMMANDS, 'utf8').includes('relay.command');
  const args = viaCli ? [CLI_MAIN, 'relay'] : [FIXTURE];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, TESSERA_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForOutput(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (child.exitCode !== null) throw new Error(`relay exited (${child.exitCode}) before "${text}":\n${err}`);
        if (Date.now() > deadline) throw new Error(`relay never printed "${text}"; stdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}
