import { allProjections } from '../../../standalone/src/all-projections';
import type { CliCommand } from '../cli-command';
import { command as audit } from './audit.command';
import { helpCommand } from './help.command';
import { command as keys } from './keys.command';
import { command as migrate } from './migrate.command';
import { createProjectionsCommand } from './projections.command';
import { command as relay } from './relay.command';

/** Every `tessera` command, in the order `tessera help` lists them. */
export const commands: readonly CliCommand[] = [
  helpCommand(() => commands),
  migrate,
  // Every service's projections, so that `rebuild` knows them all.
  createProjectionsCommand(allProjections),
  relay,
  keys,
  audit,
];
