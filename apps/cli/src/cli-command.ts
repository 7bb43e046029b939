/** One `tessera <name>` command. */
export interface CliCommand {
  name: string;
  /** One line for `tessera help`. */
  summary: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}
