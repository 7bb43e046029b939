import { ConfigError } from '@tessera/platform';
import { commands } from './commands';
import { usage } from './commands/help.command';

/** `tessera <command> [arguments]`: dispatches to a command module; resolves to the exit code. */
async function main(argv: string[]): Promise<number> {
  const name = argv[0] === undefined || argv[0] === '--help' || argv[0] === '-h' ? 'help' : argv[0];
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`tessera: unknown command "${name}"\n\n${usage(commands)}`);
    return 2;
  }
  try {
    return await command.run(argv.slice(1));
  } catch (err) {
    if (err instanceof ConfigError) process.stderr.write(`tessera: configuration error: ${err.message}\n`);
    else process.stderr.write(`tessera ${name}: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  }
}

// Exit explicitly: client libraries (pg pools, kafkajs) may keep timers alive.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  () => process.exit(1),
);
