import type { CliCommand } from '../cli-command';

/** `tessera help`: one line per command. Takes the list lazily because it is part of it. */
export function helpCommand(list: () => readonly CliCommand[]): CliCommand {
  return {
    name: 'help',
    summary: 'list the commands',
    async run(): Promise<number> {
      process.stdout.write(usage(list()));
      return 0;
    },
  };
}

/** The usage text: every command with its summary. */
export function usage(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ['usage: tessera <command> [arguments]', '', 'commands:', ...lines, ''].join('\n') + '\n';
}
